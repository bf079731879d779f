"""Turn a parsed legacy dump into the data of an article (no saving here)."""

from collections.abc import Mapping

from django.utils.html import escape
from wagtail.rich_text import RichText

from articles.importers.legacy import Caption, LegacyArticle, OrderedList, Paragraph
from articles.importers.merge import DumpBlock, DumpContent
from articles.models import NewsImage
from articles.services import ArticleData


def legacy_key(stem: str) -> str:
    """The source key of a dump file: re-importing the same file updates in place."""
    return f"legacy:{stem}"[:64]


def article_data(
    parsed: LegacyArticle,
    *,
    key: str,
    images: Mapping[int, NewsImage] | None = None,
) -> ArticleData:
    """The article for ``parsed``; ``images[n]`` is the photo of the n-th caption.

    Paragraphs and the numbered list become rich-text ``paragraph`` blocks (text
    escaped), captions become ``image`` blocks whose image is None unless given.
    """
    images = images or {}
    body = []
    caption_number = 0
    for block in parsed.blocks:
        match block:
            case Paragraph(text=text):
                body.append(("paragraph", RichText(f"<p>{escape(text)}</p>")))
            case OrderedList(items=items):
                lis = "".join(f"<li>{escape(item)}</li>" for item in items)
                body.append(("paragraph", RichText(f"<ol>{lis}</ol>")))
            case Caption(text=text):
                caption_number += 1
                image = images.get(caption_number)
                body.append(("image", {"image": image, "caption": text, "alt": ""}))
    return ArticleData(
        key=key,
        title=parsed.title,
        published_at=parsed.published_at,
        body=body,
        feature_image=images.get(1),
    )


def dump_content(
    parsed: LegacyArticle,
    *,
    category_id: int,
    images: Mapping[int, NewsImage | None] | None = None,
) -> DumpContent:
    """What ``parsed`` carries into an article, for a re-import's merge
    (``articles.importers.merge``): the body blocks as :func:`article_data`
    writes them, a photo only where ``images`` has one."""
    images = images or {}
    data = article_data(parsed, key="", images=images)
    blocks = []
    caption_number = 0
    for kind, value in data.body:
        if kind == "paragraph":
            blocks.append(DumpBlock("paragraph", value.source))
        else:
            caption_number += 1
            photo = caption_number in images
            image = images.get(caption_number)
            blocks.append(
                DumpBlock(
                    "image",
                    value["caption"],
                    image=image.pk if image is not None else None,
                    photo=photo,
                )
            )
    return DumpContent(
        title=parsed.title,
        published_at=parsed.published_at,
        category=category_id,
        blocks=tuple(blocks),
        feature_image=images[1].pk if images.get(1) is not None else None,
        has_feature_image=1 in images,
    )
