"""An article body for the API: typed blocks and the whole body as HTML.

The block shapes come from ``get_api_representation`` on the blocks in
``articles.blocks``; this module supplies what they need for a whole body in a
fixed number of queries (images and their renditions, linked pages and
documents, cached embed HTML), renders ``body_html`` from the same blocks, and
describes each block type for the OpenAPI schema. Every piece of HTML it gives
out is sanitised (``api.sanitize``): embeds' provider HTML and ``body_html``
here, paragraphs in ``api.rich_text``.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.request import Request
from wagtail.embeds.models import Embed

from api.images import ImageSerializer, image_data, images_with_renditions
from api.rich_text import RichTextExpander, referenced_ids
from api.sanitize import sanitize
from articles.models import ArticlePage


def body_blocks(article: ArticlePage, *, request: Request) -> list[dict]:
    """The body as the contract's typed blocks."""
    raw = list(article.body.raw_data)
    images = images_with_renditions(_image_ids(raw))
    embed_urls = _embed_urls(raw)
    embeds = {}
    if embed_urls:
        for embed in Embed.objects.filter(url__in=embed_urls).only("url", "html"):
            embeds.setdefault(embed.url, embed.html)
    rich_text = RichTextExpander(_rich_text(raw), request=request)
    context = {
        "rich_text": rich_text,
        # The stream loads its images itself; use the copies with renditions.
        "image": lambda image: image_data(
            images.get(image.pk) if image else None, request=request
        ),
        "embed_html": lambda url: sanitize(embeds.get(url, "")),
    }
    block_def = article.body.stream_block
    return block_def.get_api_representation(article.body, context=context)


def body_references(article: ArticlePage) -> set[str]:
    """What the body shows besides its own text, as ``kind:id`` tokens
    ("image:12", "page:40", "document:3") and "embed" for any embed: a
    change to one of them changes the body's representation."""
    raw = list(article.body.raw_data)
    linked = referenced_ids(_rich_text(raw))
    tokens = {f"image:{pk}" for pk in _image_ids(raw) | linked["image"]}
    tokens |= {f"{kind}:{pk}" for kind in ("page", "document") for pk in linked[kind]}
    if _embed_urls(raw):
        tokens.add("embed")
    return tokens


def _image_ids(raw: list[dict]) -> set[int]:
    return {
        block["value"]["image"]
        for block in raw
        if block.get("type") == "image"
        and isinstance(block.get("value"), dict)
        and isinstance(block["value"].get("image"), int)
    }


def _embed_urls(raw: list[dict]) -> set[str]:
    return {
        block["value"]
        for block in raw
        if block.get("type") == "embed" and isinstance(block.get("value"), str)
    }


def _rich_text(raw: list[dict]) -> list[str]:
    return [
        block["value"]
        for block in raw
        if block.get("type") == "paragraph" and isinstance(block["value"], str)
    ]


def body_html(blocks: list[dict]) -> str:
    """The whole body as HTML: photos as ``<figure>`` with ``<figcaption>``;
    sanitised as a whole, whatever its parts already were."""
    return sanitize("".join(_block_html(b["type"], b["value"]) for b in blocks))


def _block_html(kind: str, value: dict) -> str:
    if kind == "paragraph":
        return value["html"]
    if kind == "heading":
        return format_html("<h{0}>{1}</h{0}>", value["level"], value["text"])
    if kind == "quote":
        attribution = (
            format_html("<footer>{}</footer>", value["attribution"])
            if value["attribution"]
            else ""
        )
        return format_html(
            "<blockquote><p>{}</p>{}</blockquote>", value["text"], attribution
        )
    if kind == "embed":
        if value["html"]:
            # The provider's HTML, sanitised (body_blocks): markup, not text.
            html = mark_safe(value["html"])
            return format_html('<div class="embed">{}</div>', html)
        return (
            format_html('<p><a href="{0}">{0}</a></p>', value["url"])
            if value["url"]
            else ""
        )
    if kind == "image":
        return _figure(value)
    return ""


def _figure(value: dict) -> str:
    image = value["image"]
    picture = ""
    if image is not None:
        size = image["renditions"]["large"] or image
        picture = format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">',
            size["url"],
            size["width"],
            size["height"],
            value["alt"],
        )
    caption = (
        format_html("<figcaption>{}</figcaption>", value["caption"])
        if value["caption"]
        else ""
    )
    if not picture and not caption:
        return ""
    return format_html("<figure>{}{}</figure>", picture, caption)


# --- OpenAPI description of the blocks --------------------------------------


def _block(kind: str, value: serializers.Serializer, doc: str):
    fields = {
        "type": serializers.ChoiceField(choices=[kind]),
        "id": serializers.CharField(help_text="Stable block id (UUID)."),
        "value": value,
        "__doc__": doc,
    }
    return type(f"{kind.title()}Block", (serializers.Serializer,), fields)


class ParagraphValue(serializers.Serializer):
    html = serializers.CharField(help_text="Final HTML: resolved links and images.")


class ImageBlockValue(serializers.Serializer):
    image = ImageSerializer(allow_null=True)
    caption = serializers.CharField(allow_blank=True)
    alt = serializers.CharField(allow_blank=True)


class HeadingValue(serializers.Serializer):
    text = serializers.CharField()
    level = serializers.ChoiceField(choices=[2, 3, 4])


class QuoteValue(serializers.Serializer):
    text = serializers.CharField()
    attribution = serializers.CharField(allow_blank=True)


class EmbedValue(serializers.Serializer):
    url = serializers.URLField()
    html = serializers.CharField(
        allow_blank=True, help_text="Provider HTML when known, else empty."
    )


BLOCK_SERIALIZERS = {
    "paragraph": _block("paragraph", ParagraphValue(), "Rich text."),
    "image": _block("image", ImageBlockValue(), "A photo (null when missing)."),
    "heading": _block("heading", HeadingValue(), "A heading, level 2-4."),
    "quote": _block("quote", QuoteValue(), "A quotation and its source."),
    "embed": _block("embed", EmbedValue(), "An embedded video or post."),
}

BODY_SCHEMA = PolymorphicProxySerializer(
    component_name="BodyBlock",
    serializers=BLOCK_SERIALIZERS,
    resource_type_field_name="type",
    many=True,
)
