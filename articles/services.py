"""Writing content: categories, images and published articles.

Used by the demo loader and the legacy importer; the admin writes through
Wagtail's own views. Each function saves; none parses.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.models import Page

from articles.models import ArticlePage, CategoryPage, NewsImage
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


def get_or_create_category(*, name: str, description: str = "") -> CategoryPage:
    """The live category called ``name`` under the home page, created if missing."""
    name = nfc(name.strip())
    slug = slugify_vi(name)
    home = home_page()
    existing = CategoryPage.objects.child_of(home).filter(slug=slug).first()
    if existing:
        return existing
    category = CategoryPage(title=name, slug=slug, description=description)
    home.add_child(instance=category)
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


@transaction.atomic
def upsert_article(
    *, category: CategoryPage, data: ArticleData
) -> tuple[ArticlePage, bool]:
    """Create or update the published article with ``data.key``; True if created.

    An update replaces title, date, body, excerpt, image and tags, and publishes
    a new revision; the slug of an existing article is kept so its URL holds.
    """
    article = ArticlePage.objects.filter(legacy_key=data.key).first()
    created = article is None
    if created:
        article = ArticlePage(legacy_key=data.key, first_published_at=data.published_at)
        _assign(article, data)
        category.add_child(instance=article)
    else:
        if article.get_parent().pk != category.pk:
            article.move(category, pos="last-child")
            article.refresh_from_db()
        _assign(article, data)
    article.tags.set(_tags(data.tags), clear=True)
    article.save_revision().publish()
    return article, created


def _assign(article: ArticlePage, data: ArticleData) -> None:
    article.title = data.title
    article.published_at = data.published_at
    article.excerpt = data.excerpt
    article.feature_image = data.feature_image
    article.body = list(data.body)


def _tags(names: Iterable[str]) -> list[str]:
    return [nfc(name.strip()) for name in names if name.strip()]
