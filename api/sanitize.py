"""Article HTML as readers get it: an allow-list, with nh3 (ammonia).

The editor and the importer write only harmless HTML, but what is stored can
come from elsewhere (direct writes, future importers, an embed provider's
answer). Every piece of HTML the API serves (a paragraph's ``html``, an
embed's ``html``, ``body_html``) passes through :func:`sanitize` where it is
built (``api.rich_text``, ``api.body``): once per stored document, not per
request.

Kept: text structure, lists, tables, quotes, figures with their images and
captions, links to http(s), mailto and tel URLs and to paths on the site,
``class``, ``lang``, ``dir``, ``title`` and ``data-*`` attributes, and iframes
whose ``src`` is an https URL on one of ``EMBED_IFRAME_HOSTS`` (a setting; an
iframe from anywhere else is removed, its content with it). Gone: scripts and
styles with their content, ``on*`` handlers, ``style``, ``srcdoc``,
``javascript:`` and ``data:`` URLs, forms, objects, comments.
"""

import re
from functools import cache
from urllib.parse import urlsplit

import nh3
from django.conf import settings

TAGS = {
    *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col"),
    *("colgroup", "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure"),
    *("footer", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins"),
    *("li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub"),
    *("sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"),
}
ATTRIBUTES = {
    "*": {"class", "lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {
        *("src", "width", "height", "title", "allow", "allowfullscreen"),
        *("frameborder", "loading", "referrerpolicy"),
    },
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: What nh3 leaves of an iframe whose ``src`` was refused: no source at all.
_IFRAME_WITHOUT_SOURCE = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)


def sanitize(html: str) -> str:
    """``html`` with only the allowed tags, attributes and URLs left."""
    if not html:
        return html
    return _IFRAME_WITHOUT_SOURCE.sub("", _cleaner().clean(html))


def allowed_iframe_source(url: str) -> bool:
    """Whether an iframe may load ``url``: https, on an allowed host."""
    parts = urlsplit(url)
    hosts = {host.lower() for host in settings.EMBED_IFRAME_HOSTS}
    return parts.scheme == "https" and (parts.hostname or "") in hosts


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if allowed_iframe_source(value) else None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        generic_attribute_prefixes={"data-"},
        url_schemes=URL_SCHEMES,
        # Links are written as they were: rel is the frontend's choice.
        link_rel=None,
    )
