"""Vietnamese text helpers: Unicode normalisation, slugs, search folding and the
legacy portal's date format.

Pure Python (no Django), so that models, the admin, the importer and the search
layer share one definition of each rule:

- text is stored NFC (:func:`nfc`);
- slugs turn every Vietnamese letter into its plain ASCII base letter, "đ"/"Đ"
  into "d" (:func:`slugify_vi` on the server, :data:`SLUG_FORMATTERS` in the
  admin's slug script);
- search keys drop marks and case the same way for indexed text and queries
  (:func:`fold_for_search`);
- dates look like "21 Tháng Tư 2017 8:25:00 SA" on the old portal
  (:func:`parse_portal_datetime`, :func:`format_portal_datetime`,
  :func:`find_portal_datetime`).
"""

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from anyascii import anyascii

TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C (composed), the stored form."""
    return unicodedata.normalize("NFC", text)


# --- slugs ----------------------------------------------------------------

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify_vi(text: str, *, max_length: int = 255) -> str:
    """Make an ASCII slug from Vietnamese (or any) text.

    Letters are folded with ``anyascii`` ("Hội nghị" -> "hoi nghi", "đ"/"Đ" ->
    "d"), lowercased, and every run of other characters becomes one "-"; no
    leading or trailing "-". A slug longer than ``max_length`` is cut at the
    last "-" that fits (mid-word only when a single word is too long). Text
    without letters or digits gives "".
    """
    if max_length < 1:
        raise ValueError(f"max_length must be positive, not {max_length}")
    slug = _NON_SLUG.sub("-", anyascii(nfc(text)).lower()).strip("-")
    if len(slug) <= max_length:
        return slug
    boundary = slug.rfind("-", 0, max_length + 1)
    return slug[:boundary] if boundary > 0 else slug[:max_length]


# Every precomposed Vietnamese letter, lowercase, by the ASCII letter it folds to.
_VIETNAMESE_LETTERS = {
    "a": "àáảãạăằắẳẵặâầấẩẫậ",
    "e": "èéẻẽẹêềếểễệ",
    "i": "ìíỉĩị",
    "o": "òóỏõọôồốổỗộơờớởỡợ",
    "u": "ùúủũụưừứửữự",
    "y": "ỳýỷỹỵ",
    "d": "đ",
}

# ASCII punctuation but "-", and U+2010-U+2027 (dashes, curly quotes, "…", "•").
_PUNCTUATION = (
    r"\u0021-\u002c\u002e\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u2010-\u2027"
)

SLUG_FORMATTERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[\u0300-\u036f]"), ""),
    *(
        (re.compile(f"[{letters}{letters.upper()}]", re.IGNORECASE), base)
        for base, letters in _VIETNAMESE_LETTERS.items()
    ),
    (re.compile(rf"^[{_PUNCTUATION}\s-]+"), ""),
    (re.compile(rf"[{_PUNCTUATION}]"), " "),
]
"""Formatters for ``wagtail.admin.widgets.slug.SlugInput(formatters=...)``.

The admin's slug script runs them (as JavaScript ``RegExp(pattern, "gu")``, plus
"i" for re.IGNORECASE) on the typed title before its own slugify, which would
otherwise turn "đ" into "dj", drop letters carrying two marks, and delete
punctuation without a hyphen ("30/4" -> "304"). In order, they remove combining
marks (text typed in NFD); replace each Vietnamese letter, either case, by its
lowercase ASCII base letter; drop leading punctuation (it would become a leading
"-"); and turn other punctuation into spaces. For Vietnamese titles the admin
then proposes the slug :func:`slugify_vi` makes. The patterns use only literal
characters, ``\\uXXXX`` escapes, ``\\s`` and ``^``, which mean the same in
Python and in JavaScript.
"""


# --- search -----------------------------------------------------------------


def fold_for_search(text: str) -> str:
    """Fold text for search matching: no marks, "đ"/"Đ" -> "d", casefolded.

    Works on NFC and NFD input alike; spaces, punctuation and other characters
    are kept, so apply it to both the indexed text and the query.
    """
    decomposed = unicodedata.normalize("NFD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare.replace("đ", "d"))


# --- portal dates -----------------------------------------------------------

_MONTH_NAMES = (
    "Một",
    "Hai",
    "Ba",
    "Tư",
    "Năm",
    "Sáu",
    "Bảy",
    "Tám",
    "Chín",
    "Mười",
    "Mười Một",
    "Mười Hai",
)
_MONTHS_BY_NAME = {
    **{name.casefold(): number for number, name in enumerate(_MONTH_NAMES, 1)},
    "giêng": 1,
    "bốn": 4,
    "chạp": 12,
}

_PORTAL_DATE = (
    r"(?P<day>[0-9]{1,2})\s+tháng\s+(?P<month>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    r"\s+(?P<year>[0-9]{4})"
    r"\s+(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"\s+(?P<half>sa|ch)"
)
_WHOLE_DATE = re.compile(rf"\s*{_PORTAL_DATE}\s*", re.IGNORECASE)
_LINE_ENDING_IN_DATE = re.compile(
    rf"(?:(?P<prefix>.*)\s)?{_PORTAL_DATE}\s*", re.IGNORECASE | re.DOTALL
)


def parse_portal_datetime(text: str) -> datetime:
    """Parse a portal date such as "21 Tháng Tư 2017 8:25:00 SA".

    The form is: day, "Tháng" and the month name ("Một" … "Mười Hai"; also
    "Giêng", "Bốn", "Chạp"), four-digit year, then h:mm:ss on a 12-hour clock
    and "SA" (a.m.) or "CH" (p.m.); "12:05:00 SA" is 00:05. Case and runs of
    whitespace (no-break spaces too) are free. Returns an aware datetime in
    :data:`TIME_ZONE`; raises ``ValueError`` saying what is wrong otherwise.
    """
    match = _WHOLE_DATE.fullmatch(nfc(text))
    if match is None:
        raise ValueError(
            f"{text!r} is not a portal date like '21 Tháng Tư 2017 8:25:00 SA'"
        )
    return _datetime_from(match)


def find_portal_datetime(line: str) -> tuple[str, datetime] | None:
    """Split a line ending in a portal date into (text before it, datetime).

    "Tin tức sự kiện 21 Tháng Tư 2017 8:25:00 SA" gives ("Tin tức sự kiện",
    2017-04-21 08:25+07:00); the text is stripped and may be "". Returns None
    when the line does not end with something shaped like a portal date, and
    raises ``ValueError`` when it does but the date is impossible (an unknown
    month name, "31 Tháng Hai", hour 13, …).
    """
    match = _LINE_ENDING_IN_DATE.fullmatch(nfc(line))
    if match is None:
        return None
    return (match["prefix"] or "").strip(), _datetime_from(match)


def format_portal_datetime(value: datetime) -> str:
    """Write an aware datetime the portal's way, in :data:`TIME_ZONE`.

    The canonical form, e.g. "21 Tháng Tư 2017 8:25:00 SA": no zero-padding on
    day and hour, "Tháng Một" … "Tháng Mười Hai". Microseconds are dropped;
    otherwise ``parse_portal_datetime(format_portal_datetime(x)) == x``.
    Raises ``ValueError`` for a naive datetime.
    """
    if value.utcoffset() is None:
        raise ValueError("format_portal_datetime needs an aware datetime")
    local = value.astimezone(TIME_ZONE)
    hour = local.hour % 12 or 12
    half = "SA" if local.hour < 12 else "CH"
    return (
        f"{local.day} Tháng {_MONTH_NAMES[local.month - 1]} {local.year:04d} "
        f"{hour}:{local.minute:02d}:{local.second:02d} {half}"
    )


def _datetime_from(match: re.Match[str]) -> datetime:
    """Build the aware datetime from a match of ``_PORTAL_DATE``, checking it."""
    month_name = " ".join(match["month"].split())
    month = _MONTHS_BY_NAME.get(month_name.casefold())
    if month is None:
        raise ValueError(f"unknown month name 'Tháng {month_name}'")
    hour, minute, second = (int(match[name]) for name in ("hour", "minute", "second"))
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} is not on a 12-hour clock (1-12)")
    if minute > 59 or second > 59:
        raise ValueError(f"time {hour}:{minute:02d}:{second:02d} is out of range")
    hour = hour % 12 + (12 if match["half"].casefold() == "ch" else 0)
    day, year = int(match["day"]), int(match["year"])
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=TIME_ZONE)
    except ValueError:
        raise ValueError(
            f"{day} Tháng {month_name} {year} is not a calendar date"
        ) from None
