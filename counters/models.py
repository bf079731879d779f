"""Counts kept beside the content, never on the page rows themselves.

Publishing a revision copies the revision's fields back onto the page, which
would reset a counter kept there, and every page save re-indexes search; so
counts live here, keyed by page and site. Change them only through
``counters.services``.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PageViewCount(models.Model):
    """All-time views of one page (an article), including the legacy base."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="view_count_row",
    )
    views = models.PositiveBigIntegerField(_("view count"), default=0)

    class Meta:
        verbose_name = _("view count")
        verbose_name_plural = _("view counts")

    def __str__(self):
        return f"page {self.page_id}: {self.views}"


class PageDailyViews(models.Model):
    """Views of one page on one local day (Asia/Ho_Chi_Minh)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="unique_page_day")
        ]
        indexes = [models.Index(fields=["day", "page"], name="daily_views_day_page")]

    def __str__(self):
        return f"page {self.page_id} on {self.day}: {self.views}"


class SiteVisitCount(models.Model):
    """The site-wide visit counter (the portal's "SỐ LƯỢT TRUY CẬP")."""

    site = models.OneToOneField(
        "wagtailcore.Site",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="visit_count_row",
    )
    visits = models.PositiveBigIntegerField(_("visit count"), default=0)

    class Meta:
        verbose_name = _("visit count")
        verbose_name_plural = _("visit counts")

    def __str__(self):
        return f"site {self.site_id}: {self.visits}"


class SiteDailyVisits(models.Model):
    """Visits of the site on one local day."""

    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    visits = models.PositiveBigIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("daily visits")
        verbose_name_plural = _("daily visits")
        constraints = [
            models.UniqueConstraint(fields=["site", "day"], name="unique_site_day")
        ]

    def __str__(self):
        return f"site {self.site_id} on {self.day}: {self.visits}"


class AppliedFlush(models.Model):
    """A Redis buffer bucket already added to the counts above.

    Written in the same transaction as the increments it records, so applying a
    bucket twice (a flush that crashed after committing, before deleting the
    bucket from Redis) is a no-op, and readers know not to add it as pending.
    """

    id = models.CharField(primary_key=True, max_length=40)
    applied_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("applied counter flush")
        verbose_name_plural = _("applied counter flushes")

    def __str__(self):
        return self.id


class SeenVisitor(models.Model):
    """A visitor counted within the dedupe window, in the database (without
    Redis, or while Redis cannot be reached).

    Written in the same transaction as the count it dedupes, so the two are
    never apart: if the count fails (a database lock held past the busy
    timeout), the visitor is not marked as seen either.
    """

    key = models.CharField(primary_key=True, max_length=200)
    # Epoch seconds: compared in SQL the same way on SQLite and PostgreSQL.
    expires = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("counted visitor")
        verbose_name_plural = _("counted visitors")

    def __str__(self):
        return self.key


class QuarantinedCount(models.Model):
    """A buffered count the flusher can never add to the database (the total
    would pass the 64-bit column's limit: a corrupt count imported before
    ``import_legacy`` refused such numbers), set aside so that the rest of
    its bucket and every later bucket are applied.

    Written in the transaction that records the bucket as applied
    (``AppliedFlush``), so the amount is in no count, nor pending in Redis,
    and never set aside twice. ``/readyz/`` reports how many there are;
    ``manage.py flush_counters --quarantined`` lists them.
    """

    bucket_id = models.CharField(max_length=40)
    field = models.CharField(max_length=200, help_text="The buffer's hash field.")
    amount = models.BigIntegerField()
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("quarantined count")
        verbose_name_plural = _("quarantined counts")
        constraints = [
            models.UniqueConstraint(
                fields=["bucket_id", "field"], name="unique_quarantined_field"
            )
        ]

    def __str__(self):
        return f"{self.field} +{self.amount} (bucket {self.bucket_id})"
