"""Parser for the old district portal's article pages saved as text (UTF-8).

A dump reads, top to bottom: the odometer "SỐ LƯỢT TRUY CẬP" with one digit a
line (the site visit counter); "<category> <portal date>", e.g. "Tin tức sự
kiện 21 Tháng Tư 2017 8:25:00 SA"; the title; the body; "Số lượt người xem: N"
(the article's view count); then the portal's "TIN MỚI HƠN"/"TIN ĐÃ ĐƯA" links,
which are dropped. In the body, blank lines separate paragraphs, lines numbered
"1. ", "2. " … form one ordered list, and a short line ending in a no-break
space followed by a line of only no-break spaces is a photo's caption (the photo
stood on that line and is lost).

:func:`parse_legacy_dump` is a pure function from text to a
:class:`LegacyArticle`; saving it is the management command's job. Block texts
are plain text (not HTML): whoever renders them escapes them.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from articles.vietnamese import find_portal_datetime, nfc

NBSP = "\xa0"
MAX_CAPTION_LENGTH = 200
MAX_LINES_BEFORE_PHOTO = 2
"""Empty lines allowed between a caption and its photo's no-break-space line."""
MAX_COUNT = 10**12
"""The largest view count or odometer a dump may carry. The old portal's
odometer has 8 digits and its view counts 4 or 5; a number above a trillion
is a corrupt page, and refusing it keeps every count far below what the
database's 64-bit counters hold (so later views can always be added)."""

_ODOMETER_HEADING = "số lượt truy cập"
_VIEW_COUNT = re.compile(r"\s*số lượt người xem\s*:(?P<rest>.*)", re.IGNORECASE)
_NUMBER = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+|[0-9]+")
_NAVIGATION = ("tin mới hơn", "tin đã đưa")
_END_MARKERS = (*_NAVIGATION, _ODOMETER_HEADING)
_LIST_ITEM = re.compile(r"\s*[0-9]+\.\s+(?P<text>\S.*)")
_CAPTION_END = re.compile(r"\xa0\s*\Z")
_CAPTION_TRIM = re.compile(r"[\s.]+\Z")
_DIGITS = frozenset("0123456789")


class LegacyParseError(ValueError):
    """The text is not a legacy article; the message says why, for people."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text, whitespace collapsed."""

    text: str


@dataclass(frozen=True)
class OrderedList:
    """A numbered list; the items are plain text without their numbers."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Caption:
    """A captioned photo whose image is lost in the dump; only the caption is left."""

    text: str


Block = Paragraph | OrderedList | Caption


@dataclass(frozen=True)
class LegacyArticle:
    """One article of the old portal, as read from its dump.

    ``published_at`` is aware (Asia/Ho_Chi_Minh). ``view_count`` is the
    article's counter on the old portal and ``site_visit_count`` the portal's
    odometer at the time of the dump; either is None when the dump lacks it.
    """

    category: str
    published_at: datetime
    title: str
    blocks: tuple[Block, ...]
    view_count: int | None
    site_visit_count: int | None

    @property
    def captions(self) -> tuple[str, ...]:
        """The photo captions, in order."""
        return tuple(block.text for block in self.blocks if isinstance(block, Caption))


def decode_dump(data: bytes) -> str:
    """Decode a dump file's bytes: UTF-8, with or without a byte-order mark.

    Raises :class:`LegacyParseError` ("not UTF-8 text") for anything else.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LegacyParseError("not UTF-8 text") from None


def parse_legacy_dump(text: str) -> LegacyArticle:
    """Read one article from the text of a dump.

    Line endings (CRLF, CR) and Unicode form (NFC) are normalised first. Raises
    :class:`LegacyParseError` when the text is not an article: "empty file",
    "no date line" (no line ends with a portal date), "no title", a page cut
    short (no view-count line, or no "TIN MỚI HƠN"/"TIN ĐÃ ĐƯA" after it), and
    a few rarer reasons (an impossible date, an unreadable view count, a view
    count or odometer above :data:`MAX_COUNT`).
    """
    text = nfc(text.removeprefix("\ufeff"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if all(_is_blank(line) for line in lines):
        raise LegacyParseError("empty file")
    date_index, category, published_at = _find_date_line(lines)
    title_index = _next_non_blank(lines, date_index + 1)
    if title_index is None or _ends_body(lines[title_index]):
        raise LegacyParseError("no title")
    body_start = title_index + 1
    body_end = next(
        (i for i in range(body_start, len(lines)) if _ends_body(lines[i])),
        len(lines),
    )
    _require_page_end(lines[body_start:])
    return LegacyArticle(
        category=category,
        published_at=published_at,
        title=_collapse(lines[title_index]),
        blocks=_parse_body(lines[body_start:body_end]),
        view_count=_count(
            _find_view_count(lines[body_start:]), 'view count ("Số lượt người xem")'
        ),
        site_visit_count=_count(
            _read_odometer(lines), 'site visit counter ("SỐ LƯỢT TRUY CẬP")'
        ),
    )


def _count(digits: str | None, field: str) -> int | None:
    """The number ``digits`` spell, or :class:`LegacyParseError` naming ``field``
    when it is above :data:`MAX_COUNT`. The length is checked before the digits
    are read as a number (Python refuses to read more than 4,300 of them)."""
    if digits is None:
        return None
    digits = digits.lstrip("0") or "0"
    if len(digits) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
        shown = f"{int(digits):,}" if len(digits) <= 21 else f"{len(digits)} digits"
        raise LegacyParseError(
            f"{field} {shown} is above the largest accepted, {MAX_COUNT:,}"
        )
    return int(digits)


def _require_page_end(lines: list[str]) -> None:
    """Every saved page ends with its view count and the portal's links to the
    newer and older article: a dump without them was cut short (a truncated
    download, a partial copy), and its body cannot be trusted to be whole."""
    if not any(_VIEW_COUNT.match(line) for line in lines):
        raise LegacyParseError(
            'no view-count line ("Số lượt người xem"): the page is cut short'
        )
    if not any(_collapse(line).casefold() in _NAVIGATION for line in lines):
        raise LegacyParseError(
            'no "TIN MỚI HƠN" / "TIN ĐÃ ĐƯA" section: the page is cut short'
        )


def _is_blank(line: str) -> bool:
    """True for a line of nothing but whitespace, no-break spaces included."""
    return not line.strip()


def _collapse(text: str) -> str:
    """Collapse runs of whitespace (no-break spaces too) into one space; strip."""
    return " ".join(text.split())


def _next_non_blank(lines: list[str], start: int) -> int | None:
    """Index of the first non-blank line at or after ``start``, or None."""
    return next((i for i in range(start, len(lines)) if not _is_blank(lines[i])), None)


def _find_date_line(lines: list[str]) -> tuple[int, str, datetime]:
    """Index, category and date of the first line that ends with a portal date."""
    for index, line in enumerate(lines):
        try:
            found = find_portal_datetime(line)
        except ValueError as error:
            raise LegacyParseError(f"bad date on line {index + 1}: {error}") from None
        if found is None:
            continue
        category, published_at = found
        if not category:
            raise LegacyParseError(f"no category before the date on line {index + 1}")
        return index, _collapse(category), published_at
    raise LegacyParseError("no date line")


def _ends_body(line: str) -> bool:
    """True for the view-count line and the portal's trailing navigation."""
    return bool(_VIEW_COUNT.match(line)) or _collapse(line).casefold() in _END_MARKERS


def _find_view_count(lines: list[str]) -> str | None:
    """The digits on the first "Số lượt người xem:" line, or None without one.

    Thousands separators ("3.191", "3,191") are allowed; an empty count is None
    and anything else that is not a number raises :class:`LegacyParseError`.
    """
    match = next(filter(None, map(_VIEW_COUNT.match, lines)), None)
    if match is None or _is_blank(match["rest"]):
        return None
    count = match["rest"].strip()
    if not _NUMBER.fullmatch(count):
        raise LegacyParseError(f"unreadable view count {count!r}")
    return re.sub(r"[.,]", "", count)


def _read_odometer(lines: list[str]) -> str | None:
    """The site visit counter's digits: one a line after "SỐ LƯỢT TRUY CẬP".

    Blank lines around the digits are skipped; the first other line ends the
    number. None when there is no odometer or it shows no digit.
    """
    heading = next(
        (
            i
            for i, line in enumerate(lines)
            if _collapse(line).casefold() == _ODOMETER_HEADING
        ),
        None,
    )
    if heading is None:
        return None
    digits: list[str] = []
    for line in lines[heading + 1 :]:
        if _is_blank(line):
            continue
        if line.strip() not in _DIGITS:
            break
        digits.append(line.strip())
    return "".join(digits) if digits else None


def _photo_line_after(lines: list[str], index: int) -> int | None:
    """If ``lines[index]`` is a caption, the index of its photo's line, else None.

    A caption is a short line ending in a no-break space (then maybe other
    spaces), followed after at most ``MAX_LINES_BEFORE_PHOTO`` empty lines by a
    line holding only no-break space(s): where the photo stood.
    """
    line = lines[index]
    if not (
        _CAPTION_END.search(line)
        and len(line.strip()) <= MAX_CAPTION_LENGTH
        and _caption_text(line)
    ):
        return None
    following = index + 1
    while (
        following < len(lines)
        and following - index <= MAX_LINES_BEFORE_PHOTO
        and not lines[following].strip(" \t")
    ):
        following += 1
    if (
        following < len(lines)
        and _is_blank(lines[following])
        and NBSP in lines[following]
    ):
        return following
    return None


def _caption_text(line: str) -> str:
    """The caption on a caption line: collapsed, trailing periods and spaces cut."""
    return _CAPTION_TRIM.sub("", _collapse(line))


@dataclass
class _BodyBuilder:
    """Collects body lines into blocks: open paragraph lines, open list items."""

    blocks: list[Block] = field(default_factory=list)
    paragraph: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)

    def add_text(self, line: str) -> None:
        """A text line: continues the open paragraph; closes an open list."""
        self.close_list()
        self.paragraph.append(line)

    def add_item(self, text: str) -> None:
        """A numbered line: an item of the open list (or of a new one)."""
        self.close_paragraph()
        self.items.append(text)

    def add_caption(self, text: str) -> None:
        """A photo caption: a block of its own."""
        self.close_paragraph()
        self.close_list()
        self.blocks.append(Caption(text))

    def close_paragraph(self) -> None:
        """End the open paragraph, if any (blank lines do this; lists stay open)."""
        if self.paragraph:
            self.blocks.append(Paragraph(_collapse(" ".join(self.paragraph))))
            self.paragraph = []

    def close_list(self) -> None:
        """End the open list, if any."""
        if self.items:
            self.blocks.append(OrderedList(tuple(self.items)))
            self.items = []

    def finish(self) -> tuple[Block, ...]:
        """Close what is open and return the blocks."""
        self.close_paragraph()
        self.close_list()
        return tuple(self.blocks)


def _parse_body(lines: list[str]) -> tuple[Block, ...]:
    """Turn the lines between the title and the view count into blocks."""
    body = _BodyBuilder()
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_blank(line):
            body.close_paragraph()
        elif not body.paragraph and (photo := _photo_line_after(lines, index)):
            body.add_caption(_caption_text(line))
            index = photo
        elif item := _LIST_ITEM.fullmatch(line):
            body.add_item(_collapse(item["text"]))
        else:
            body.add_text(line)
        index += 1
    return body.finish()
