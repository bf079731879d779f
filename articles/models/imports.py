"""What the legacy importer last wrote of each article it imported.

A re-import merges the dump into the article against this record
(``articles.importers.merge``): what the dump changed since the last import
is applied, what an editor changed or added is kept. It lives beside the
page, not on it: publishing a revision copies the revision's fields back onto
the page, and an older draft published later would bring an older record.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegacyImport(models.Model):
    """The dump's part of one imported article, as the last import wrote it:
    ``base`` is ``articles.importers.merge.Base`` as JSON (title, date,
    category, feature image when a photo was given, and each dump block with
    the id of the body block it became)."""

    article = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="legacy_import",
    )
    base = models.JSONField()
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("legacy import record")
        verbose_name_plural = _("legacy import records")

    def __str__(self) -> str:
        return f"legacy import of article {self.article_id}"
