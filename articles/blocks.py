"""StreamField blocks of an article body.

Block names and value shapes are part of the public API contract
(``paragraph``, ``image``, ``heading``, ``quote``, ``embed``).

``get_api_representation`` gives each block's contract shape. What needs the
database or the request (final rich text HTML, the Image object, an embed's
cached HTML) comes from callables in ``context``, so the API can fetch them for
a whole body in a few queries:

- ``context["rich_text"](source: str) -> str``: final HTML of stored rich text;
- ``context["image"](image: NewsImage | None) -> dict | None``: the Image object;
- ``context["embed_html"](url: str) -> str``: the embed's HTML ("" if unknown).
"""

import re

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = [
    "bold",
    "italic",
    "ol",
    "ul",
    "link",
    "document-link",
    "image",
    "superscript",
    "subscript",
]


class ParagraphBlock(blocks.RichTextBlock):
    """Rich text: paragraphs, ordered and unordered lists, links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")

    def get_api_representation(self, value, context=None):
        return {"html": context["rich_text"](value.source)}


class CaptionedImageBlock(blocks.StructBlock):
    """A photo with its caption. The photo may be missing (legacy imports)."""

    image = ImageChooserBlock(required=False, label=_("Image"))
    caption = blocks.CharBlock(required=False, max_length=500, label=_("Caption"))
    alt = blocks.CharBlock(
        required=False,
        max_length=255,
        label=_("Alt text"),
        help_text=_("Describes the photo for screen readers; defaults to the caption."),
    )

    class Meta:
        icon = "image"
        label = _("Image")

    def get_api_representation(self, value, context=None):
        """The photo (``None`` when missing), the caption and the alt text.

        The caption falls back to the library image's own, the alt text to the
        caption, then to the image's description.
        """
        image = value.get("image")
        caption = value.get("caption") or (image.caption if image else "")
        alt = value.get("alt") or caption or (image.description if image else "")
        return {"image": context["image"](image), "caption": caption, "alt": alt}


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=255, label=_("Text"))
    level = blocks.ChoiceBlock(
        choices=[("2", "H2"), ("3", "H3"), ("4", "H4")],
        default="2",
        label=_("Level"),
    )

    class Meta:
        icon = "title"
        label = _("Heading")

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "level": int(value["level"] or 2)}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=255, label=_("Source"))

    class Meta:
        icon = "openquote"
        label = _("Quote")

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "attribution": value.get("attribution") or ""}


_WEB_URL = re.compile(r"^https?://", re.IGNORECASE)


class ArticleEmbedBlock(EmbedBlock):
    """A video or post from YouTube, Facebook, ... by its URL (oEmbed)."""

    # Stores exactly what EmbedBlock stores; migrations keep naming EmbedBlock so
    # that adding an API shape does not need a schema migration.
    canonical_module_path = "wagtail.embeds.blocks.EmbedBlock"

    def get_api_representation(self, value, context=None):
        url = value.url if value else ""
        if not _WEB_URL.match(url):
            # The admin's finder refuses such a URL, but a direct write or an
            # import does not: a javascript: or data: link must never reach a
            # reader's page as a link.
            return {"url": "", "html": ""}
        return {"url": url, "html": context["embed_html"](url)}


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    heading = HeadingBlock()
    quote = QuoteBlock()
    embed = ArticleEmbedBlock(label=_("Embed"), icon="media")
