"""Drafts shown in the frontend's preview: the content behind a preview token."""

import uuid
from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, keeping microseconds (it cuts times to milliseconds),
    so a previewed ``published_at`` is the one the article will have."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class ArticlePreview(models.Model):
    """One previewed state of an article, as the editor's form held it.

    The admin keeps unsaved form state per user; a frontend cannot read it, so
    each preview is copied here and the frontend gets a signed, timed token
    naming the row (``articles.previews``). Deleting the row revokes the token.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    page = models.ForeignKey(
        "articles.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The page's serializable data, as a revision stores it.
    content = models.JSONField(_("content"), encoder=ExactJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("article preview")
        verbose_name_plural = _("article previews")
        indexes = [models.Index(fields=["created_at"], name="article_preview_created")]

    def __str__(self) -> str:
        return f"{self.page_id} @ {self.created_at:%Y-%m-%d %H:%M}"
