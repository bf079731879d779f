"""What readers see changing: one row per article and category ever shown.

A row holds the object's last change: ``upsert`` (shown, as of
``fingerprint``) or ``delete`` (no longer shown), at position ``seq`` of the
change feed. A new change moves the row to a new, higher ``seq``, so the feed
read from a cursor (``seq > cursor``) holds each object once, at its last
change, and an object changed twice between two reads is read once. Rows are
written by ``articles.changes.record_changes`` only.

``ChangeLog`` is one row: the last ``seq`` given out (taken under a row lock,
so positions are given in commit order and a reader never passes a change
still being written) and ``pruned_through``, the highest ``seq`` of a
``delete`` dropped by retention: a cursor below it has missed a deletion.
"""

from django.db import models

#: The id of the one ChangeLog row.
CHANGE_LOG_ID = 1


class Change(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article"
        CATEGORY = "category"

    class Action(models.TextChoices):
        UPSERT = "upsert"
        DELETE = "delete"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.IntegerField()
    seq = models.BigIntegerField(unique=True)
    action = models.CharField(max_length=6, choices=Action.choices)
    slug = models.CharField(max_length=255)
    #: What the object showed when recorded (``articles.changes``); empty for
    #: a deletion.
    fingerprint = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="change_object")
        ]
        indexes = [
            # Retention finds old deletions without reading the shown objects.
            models.Index(
                fields=["at"],
                condition=models.Q(action="delete"),
                name="change_deleted_at",
            )
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.action} {self.kind} {self.object_id}"


class ChangeLog(models.Model):
    last_seq = models.BigIntegerField(default=0)
    pruned_through = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"changes up to {self.last_seq}"
