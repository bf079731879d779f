"""StreamField blocks of an article body.

Block names and value shapes are part of the public API contract
(``paragraph``, ``image``, ``heading``, ``quote``, ``embed``).
"""

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


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=255, label=_("Source"))

    class Meta:
        icon = "openquote"
        label = _("Quote")


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    heading = HeadingBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(label=_("Embed"), icon="media")
