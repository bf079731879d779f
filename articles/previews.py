"""Preview tokens: a frontend shows an editor's unsaved draft, for a while.

``mint_preview_token`` copies the draft the admin is previewing into an
``ArticlePreview`` row and signs the row's id with a timestamp
(``django.core.signing.TimestampSigner``, keyed by ``SECRET_KEY``); it lives
beside the model (``articles.models.previews``), since the article page's
admin preview mints one.
``previewed_article`` turns a token back into that exact draft, as an unsaved
``ArticlePage``. A token is refused when forged, older than
``PREVIEW_TOKEN_MAX_AGE`` seconds, or revoked (its row deleted).
"""

from django.conf import settings
from django.core import signing
from django.utils import timezone

from articles.models import ArticlePage, ArticlePreview
from articles.models.previews import (
    delete_expired_previews,
    mint_preview_token,
    preview_signer,
)

__all__ = [
    "InvalidPreviewToken",
    "delete_expired_previews",
    "mint_preview_token",
    "previewed_article",
    "revoke_page_previews",
    "revoke_preview_token",
]


class InvalidPreviewToken(Exception):
    """The token is missing, forged, expired or revoked; the message says which."""


def previewed_article(*, token: str) -> ArticlePage:
    """The draft behind ``token``, unsaved; ``InvalidPreviewToken`` if refused.

    Tree position, id and first publication come from the article as stored
    (as for a revision). A draft never published is shown as if published now.
    """
    try:
        preview_id = preview_signer().unsign(
            token, max_age=settings.PREVIEW_TOKEN_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise InvalidPreviewToken("The preview token has expired.") from error
    except signing.BadSignature as error:
        raise InvalidPreviewToken("The preview token is not valid.") from error
    preview = (
        ArticlePreview.objects.filter(pk=preview_id).select_related("page").first()
    )
    if preview is None:
        raise InvalidPreviewToken("The preview token has been revoked.")
    article = preview.page.with_content_json(preview.content)
    now = timezone.now()
    if article.published_at is None:
        article.published_at = article.first_published_at or now
    # ``updated_at`` is the last publication: this draft's, were it published now.
    article.last_published_at = now
    return article


def revoke_preview_token(*, token: str) -> bool:
    """Revoke one token (a forged one revokes nothing); True if it was valid."""
    try:
        preview_id = preview_signer().unsign(token)
    except signing.BadSignature:
        return False
    deleted, _ = ArticlePreview.objects.filter(pk=preview_id).delete()
    return bool(deleted)


def revoke_page_previews(*, page: ArticlePage) -> int:
    """Revoke every preview token of ``page``; returns how many there were."""
    deleted, _ = ArticlePreview.objects.filter(page_id=page.pk).delete()
    return deleted
