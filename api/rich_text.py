"""Final HTML for stored rich text, for a whole article body at once.

Wagtail stores links and images in rich text as ``<a linktype="page" id="..">``
and ``<embed embedtype="image" ..>``. Its ``expand_db_html`` resolves them one
HTML string at a time and makes image renditions on demand; here every page,
document and image referenced anywhere in the body is fetched up front in a
fixed number of queries, and images use the API's pre-made ``medium``
rendition. The rewriting itself is Wagtail's (``wagtail.rich_text.rewriters``);
the result is sanitised (``api.sanitize``). Page links are left marked for
``api.page_links``, which applies the visibility rule when a body is read.
"""

from collections.abc import Iterable

from django.utils.html import format_html
from rest_framework.request import Request
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter

from api.images import images_with_renditions, rendition
from api.page_links import MARKER
from api.sanitize import sanitize

EMBEDDED_IMAGE_RENDITION = "medium"


class RichTextExpander:
    """Turns stored rich text into final HTML with prefetched references."""

    def __init__(self, sources: Iterable[str], *, request: Request):
        self.request = request
        self._links = LinkRewriter(
            bulk_rules={"page": self._page_links, "document": self._document_links}
        )
        self._embeds = EmbedRewriter(bulk_rules={"image": self._images})
        ids = referenced_ids(sources)
        self.pages = {
            page.pk: page
            for page in Page.objects.filter(pk__in=ids["page"], live=True).only(
                "id", "url_path", "path", "depth"
            )
        }
        self.documents = get_document_model().objects.in_bulk(ids["document"])
        self.images = images_with_renditions(ids["image"])

    def __call__(self, source: str) -> str:
        return sanitize(self._embeds(self._links(source)))

    def _page_links(self, attrs_list: list[dict]) -> list[str]:
        """Marked for :func:`api.page_links.resolve_page_links`, which decides
        on each read whether the reader may see the page (a document outlives
        that decision); a page not live, deleted or unroutable gets no URL."""
        tags = []
        for attrs in attrs_list:
            pk = _int_id(attrs)
            page = self.pages.get(pk)
            parts = page.get_url_parts(self.request) if page else None
            if parts and parts[2]:
                tags.append(format_html('<a href="{}" {}="{}">', parts[2], MARKER, pk))
            else:
                tags.append(format_html('<a {}="{}">', MARKER, pk or 0))
        return tags

    def _document_links(self, attrs_list: list[dict]) -> list[str]:
        tags = []
        for attrs in attrs_list:
            document = self.documents.get(_int_id(attrs))
            if document:
                url = self.request.build_absolute_uri(document.url)
                tags.append(format_html('<a href="{}">', url))
            else:
                tags.append("<a>")
        return tags

    def _images(self, attrs_list: list[dict]) -> list[str]:
        tags = []
        for attrs in attrs_list:
            image = self.images.get(_int_id(attrs))
            found = rendition(image, EMBEDDED_IMAGE_RENDITION) if image else None
            if found is None:
                tags.append("")  # a deleted photo leaves nothing behind
                continue
            alt = attrs.get("alt") or image.description or image.caption
            css = f"richtext-image {attrs.get('format', '')}".strip()
            tags.append(
                format_html(
                    '<img src="{}" width="{}" height="{}" alt="{}" class="{}">',
                    self.request.build_absolute_uri(found.url),
                    found.width,
                    found.height,
                    alt,
                    css,
                )
            )
        return tags


def referenced_ids(sources: Iterable[str]) -> dict[str, set[int]]:
    """Ids of the pages, documents and images that rich text ``sources`` link
    to or embed, whether or not they still exist."""
    links, embeds = LinkRewriter(), EmbedRewriter()
    ids: dict[str, set[int]] = {"page": set(), "document": set(), "image": set()}
    for source in sources:
        for rewriter in (links, embeds):
            for kind, matches in rewriter.extract_tags(source).items():
                if kind in ids:
                    ids[kind].update(_int_ids(match.attrs for match in matches))
    return ids


def _int_id(attrs: dict) -> int | None:
    try:
        return int(attrs.get("id", ""))
    except ValueError:
        return None


def _int_ids(attrs_list: Iterable[dict]) -> set[int]:
    return {value for value in map(_int_id, attrs_list) if value is not None}
