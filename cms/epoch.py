"""The database's epoch: a random value that names one life of the
database's contents. Restoring a backup (``manage.py restore``) renews it, so
what a client learnt from the database before the restore (a change-feed
cursor, ``api.change_feed``) can be told apart from what the restored data can
answer: positions given after the backup was taken are given out again, for
other changes.

One row, made by the migration that brought epochs (and again by
:func:`current` if it is missing, e.g. after a test flushed the table).
``renewed_at`` stays empty until the first restore: until then cursors made
before epochs existed are still of this database's life.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils import timezone

#: The id of the one row.
EPOCH_ID = 1


def new_value() -> str:
    """64 random bits, in hexadecimal (16 characters)."""
    return secrets.token_hex(8)


class DatabaseEpoch(models.Model):
    value = models.CharField(max_length=16, default=new_value)
    renewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "cms"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Epoch:
    value: str
    #: When a restore last renewed it; ``None``: never.
    renewed_at: datetime | None


def current() -> Epoch:
    row = DatabaseEpoch.objects.filter(pk=EPOCH_ID).values("value", "renewed_at")
    found = row.first()
    if found is None:
        made, _ = DatabaseEpoch.objects.get_or_create(pk=EPOCH_ID)
        found = {"value": made.value, "renewed_at": made.renewed_at}
    return Epoch(value=found["value"], renewed_at=found["renewed_at"])


def renew() -> Epoch:
    """A new epoch, after a restore: everything given out before is of
    another life of the database."""
    epoch = Epoch(value=new_value(), renewed_at=timezone.now())
    DatabaseEpoch.objects.update_or_create(
        pk=EPOCH_ID,
        defaults={"value": epoch.value, "renewed_at": epoch.renewed_at},
    )
    return epoch
