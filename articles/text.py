"""Plain-text helpers for article content (language-neutral)."""

import html
import re
import unicodedata
from typing import Any

from django.utils.html import strip_tags

_WHITESPACE = re.compile(r"\s+")
# Tags that end a line of text: stripped without a space, "đậm.</p><p>Tiếp."
# would read "đậm.Tiếp.".
_BLOCK_BOUNDARY = re.compile(
    r"<(?:br|img|hr|/p|/li|/h[1-6]|/div|/blockquote|/figure)\b[^>]*>", re.IGNORECASE
)


def normalize_strings(value: Any) -> Any:
    """Return ``value`` with every string in it (nested lists/dicts too) in NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [normalize_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: normalize_strings(item) for key, item in value.items()}
    return value


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    text = html.unescape(strip_tags(_BLOCK_BOUNDARY.sub(" ", markup)))
    return _WHITESPACE.sub(" ", text).strip()


def truncate_at_word(text: str, *, max_length: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``max_length`` characters at a word boundary.

    The ellipsis is added (and counted) only when something was cut.
    """
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) <= max_length:
        return text
    cut = text[: max_length - len(ellipsis) + 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    else:  # one very long word: cut inside it
        cut = cut[:-1]
    return cut.rstrip(" ,;:.-–—") + ellipsis
