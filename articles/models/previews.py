"""Drafts shown in the frontend's preview: the content behind a preview token,
and the minting of tokens (``articles.previews`` reads them)."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


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


def preview_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt="newsdesk.articles.preview")


def mint_preview_token(*, page: Page, user: AbstractBaseUser) -> str:
    """A token for ``page`` (an article) as it is now in memory (the draft
    being previewed).

    Only a user who may edit the page gets one (``PermissionDenied`` otherwise);
    a page never saved has no token (``ValueError``). Expired previews are
    deleted on the way.
    """
    if page.pk is None:
        raise ValueError("Only a saved page can be previewed in the frontend.")
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    with transaction.atomic():
        delete_expired_previews()
        preview = ArticlePreview.objects.create(
            page_id=page.pk, content=page.serializable_data(), created_by=user
        )
    return preview_signer().sign(str(preview.pk))


def delete_expired_previews() -> int:
    """Delete previews no token can open any more (older than the maximum age)."""
    cutoff = timezone.now() - timedelta(seconds=settings.PREVIEW_TOKEN_MAX_AGE)
    deleted, _ = ArticlePreview.objects.filter(created_at__lt=cutoff).delete()
    return deleted
