"""Writing content: categories, images and published articles.

Used by the demo loader and the legacy importer; the admin writes through
Wagtail's own views. Each function saves; none parses.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike

from articles.models import ArticlePage, CategoryPage, NewsImage
from articles.text import normalize_strings
from articles.vietnamese import nfc, slugify_vi


@dataclass(frozen=True)
class ArticleData:
    """Everything needed to write one published article.

    ``body`` is StreamField raw data: ``[("paragraph", RichText(...)), ...]``.
    """

    key: str
    title: str
    published_at: datetime
    body: Sequence[tuple[str, Any]]
    excerpt: str = ""
    feature_image: NewsImage | None = None
    tags: Sequence[str] = ()


def home_page() -> Page:
    """The site's root page (created by the ``cms`` migrations)."""
    from cms.models import HomePage

    return HomePage.objects.get()


def find_category(*, name: str) -> CategoryPage | None:
    """The category under the home page whose slug is folded from ``name``."""
    slug = slugify_vi(nfc(name.strip()))
    return CategoryPage.objects.child_of(home_page()).filter(slug=slug).first()


def get_or_create_category(*, name: str, description: str = "") -> CategoryPage:
    """The category called ``name`` under the home page, created (live) if missing."""
    existing = find_category(name=name)
    if existing:
        return existing
    name = nfc(name.strip())
    category = CategoryPage(title=name, slug=slugify_vi(name), description=description)
    home_page().add_child(instance=category)
    category.save_revision().publish()
    return category


def get_or_create_image(
    *, path: Path, title: str, caption: str = "", credit: str = ""
) -> NewsImage:
    """The library image titled ``title``, uploaded from ``path`` if missing.

    Saving it makes its API renditions (``articles.receivers``).
    """
    title = nfc(title)
    existing = NewsImage.objects.filter(title=title).first()
    if existing:
        return existing
    with path.open("rb") as handle:
        image = NewsImage(
            title=title,
            caption=nfc(caption),
            credit=nfc(credit),
            description=nfc(caption),
            file=ImageFile(handle, name=path.name),
        )
        image._set_image_file_metadata()
        image.save()
    return image


def find_image_by_content(*, path: Path) -> NewsImage | None:
    """The library image whose file has the same bytes as ``path``, if any.

    Compares Wagtail's SHA-1 ``file_hash``, so a photo imported twice is one image.
    """
    with path.open("rb") as handle:
        file_hash = hash_filelike(handle)
    return NewsImage.objects.filter(file_hash=file_hash).order_by("pk").first()


def get_or_create_image_by_content(
    *, path: Path, title: str, caption: str = ""
) -> tuple[NewsImage, bool]:
    """The library image with the same bytes as ``path``; True if uploaded now.

    Unlike :func:`get_or_create_image` the title does not identify the image
    (imported captions such as "Quang cảnh hội nghị" repeat across articles).
    """
    existing = find_image_by_content(path=path)
    if existing:
        return existing, False
    with path.open("rb") as handle:
        image = NewsImage(
            title=nfc(title)[:255],
            caption=nfc(caption)[:500],
            description=nfc(caption)[:255],
            file=ImageFile(handle, name=path.name),
        )
        image._set_image_file_metadata()
        image.save()
    return image, True


class Upsert(StrEnum):
    """What :func:`upsert_article` did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@transaction.atomic
def upsert_article(
    *, category: CategoryPage, data: ArticleData
) -> tuple[ArticlePage, Upsert]:
    """Create or update the published article with ``data.key``.

    Wagtail's first-published time is ``data.published_at`` too. An update
    replaces title, dates, body, excerpt, image and tags and publishes a new
    revision; the slug of an existing article is kept so its URL holds. When the
    live article already matches ``data`` under ``category``, nothing is
    written (no revision, no re-publish, an editor's draft left alone).
    """
    article = ArticlePage.objects.filter(legacy_key=data.key).first()
    if article is not None and article_matches(article, category=category, data=data):
        return article, Upsert.UNCHANGED
    # Wagtail would rebuild the article's reference index on each of the saves
    # below (three for a new article); once, after the last, gives the same.
    with disable_reference_index_auto_update():
        if article is None:
            article = ArticlePage(legacy_key=data.key)
            _assign(article, data)
            category.add_child(instance=article)  # validates (full_clean)
            outcome = Upsert.CREATED
        else:
            if not _is_child_of(article, category):
                article.move(category, pos="last-child")
                article.refresh_from_db()
            _assign(article, data)
            article.full_clean()
            outcome = Upsert.UPDATED
        article.tags.set(_tags(data.tags), clear=True)
        article.save_revision(clean=False).publish()
    ReferenceIndex.create_or_update_for_object(article)
    return article, outcome


def article_matches(
    article: ArticlePage, *, category: CategoryPage | None, data: ArticleData
) -> bool:
    """True when the live ``article`` under ``category`` already shows ``data``.

    Reads only. Block ids are ignored (they are new on every conversion).
    """
    wanted = ArticlePage(body=list(data.body))
    return (
        article.live
        and category is not None
        and _is_child_of(article, category)
        and article.title == nfc(data.title)
        and article.published_at == data.published_at
        and article.first_published_at == data.published_at
        and article.excerpt == nfc(data.excerpt)
        and article.feature_image_id
        == (data.feature_image.pk if data.feature_image else None)
        and _comparable_body(article) == _comparable_body(wanted)
        and set(article.tags.names()) == set(_tags(data.tags))
    )


def _is_child_of(article: Page, parent: Page) -> bool:
    return article.depth == parent.depth + 1 and article.path.startswith(parent.path)


def _comparable_body(article: ArticlePage) -> list[Any]:
    """The body as stored (NFC), without the block ids."""
    return _without_ids(normalize_strings(article.body.get_prep_value()))


def _without_ids(value: Any) -> Any:
    """Drop the ``id`` of every stream or list item (a dict holding a ``value``)."""
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    if isinstance(value, dict):
        return {
            key: _without_ids(item)
            for key, item in value.items()
            if not (key == "id" and "value" in value)
        }
    return value


def _assign(article: ArticlePage, data: ArticleData) -> None:
    article.title = data.title
    article.published_at = data.published_at
    article.first_published_at = data.published_at
    article.excerpt = data.excerpt
    article.feature_image = data.feature_image
    article.body = list(data.body)


def _tags(names: Iterable[str]) -> list[str]:
    return [nfc(name.strip()) for name in names if name.strip()]
