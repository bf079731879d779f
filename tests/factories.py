"""Test data: images with real pixels, categories and published articles."""

import io
from datetime import datetime

from django.core.files.images import ImageFile
from PIL import Image
from wagtail.rich_text import RichText

from articles.models import ArticlePage, CategoryPage, NewsImage
from articles.services import home_page
from articles.vietnamese import TIME_ZONE


def image_bytes(*, size=(640, 480), colour=(30, 120, 200), fmt="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def make_image(*, title="Ảnh thử", caption="", size=(640, 480)) -> NewsImage:
    image = NewsImage(
        title=title,
        caption=caption,
        file=ImageFile(io.BytesIO(image_bytes(size=size)), name="photo.jpg"),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def make_category(*, title="Tin tức sự kiện", **fields) -> CategoryPage:
    category = CategoryPage(title=title, **fields)
    home_page().add_child(instance=category)
    category.save_revision().publish()
    return category


def make_article(
    *,
    category: CategoryPage,
    title="Bài viết thử",
    body=None,
    publish=True,
    published_at: datetime | None = None,
    **fields,
) -> ArticlePage:
    """An article under ``category``; published (a real revision) unless told not."""
    if body is None:
        body = [("paragraph", RichText("<p>Nội dung bài viết.</p>"))]
    article = ArticlePage(
        title=title, body=body, published_at=published_at, live=False, **fields
    )
    category.add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
        article.refresh_from_db()
    return article


def vn_time(*args: int) -> datetime:
    return datetime(*args, tzinfo=TIME_ZONE)
