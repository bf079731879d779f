"""Links from an article's body to other pages, resolved when the body is read.

Whether a reader may see the linked page changes without anything happening
to the article that links to it: a ``published_at`` or ``go_live_at`` is
reached, an ``expire_at`` passes, a view restriction is added to the page or
to a page above it, its category is hidden or shown again. A stored document
(``api.documents``) is kept for a whole published version, so it cannot hold
the decision. It holds every internal page link as
``<a href="URL" data-newsdesk-page="ID">`` (no ``href`` for a page that is not
live or has no URL) and :func:`resolve_page_links` decides when a body is
read, with one query for all the pages a body links to
(``articles.selectors.visible_page_ids``, the visibility rule): a link to a
page the reader may see loses only the marker; any other becomes its text,
plain, so neither the URL nor the link's existence shows.
"""

import re

from articles import selectors

#: The attribute ``api.rich_text`` marks an internal page link with.
MARKER = "data-newsdesk-page"
# After sanitising (api.sanitize), an opening tag is exactly as written here:
# attributes in this order, values double-quoted. Anchors never nest, so the
# next closing tag is the link's own.
_LINK = re.compile(
    rf'<a (?:href="(?P<href>[^"]*)" )?{MARKER}="(?P<id>[0-9]+)">(?P<text>.*?)</a>',
    re.S,
)


def resolve_page_links(version: dict) -> dict:
    """``version`` (a stored document's data: ``body`` blocks and
    ``body_html``) with its internal page links resolved for a reader now.
    The dict is changed in place and returned; no query without links."""
    paragraphs = [
        block["value"]
        for block in version["body"]
        if block["type"] == "paragraph" and MARKER in block["value"]["html"]
    ]
    if not paragraphs and MARKER not in version["body_html"]:
        return version
    linked = {
        int(match["id"])
        for html in [version["body_html"], *(p["html"] for p in paragraphs)]
        for match in _LINK.finditer(html)
    }
    visible = selectors.visible_page_ids(linked)
    for paragraph in paragraphs:
        paragraph["html"] = _resolve(paragraph["html"], visible)
    version["body_html"] = _resolve(version["body_html"], visible)
    return version


def _resolve(html: str, visible: set[int]) -> str:
    def link(match: re.Match) -> str:
        if match["href"] is not None and int(match["id"]) in visible:
            return f'<a href="{match["href"]}">{match["text"]}</a>'
        return match["text"]

    return _LINK.sub(link, html)
