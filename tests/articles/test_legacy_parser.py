"""Tests for the legacy portal dump parser (articles.importers.legacy).

Pure Python, no Django settings. The sample in tests/data/legacy is a real page
of the old portal; the variants below are written to cover what other dumps do
differently (CRLF, other categories, afternoon dates, several captions or none,
no list, no view count) and files that are not articles.
"""

import dataclasses
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from articles.importers.legacy import (
    Caption,
    LegacyArticle,
    LegacyParseError,
    OrderedList,
    Paragraph,
    decode_dump,
    parse_legacy_dump,
)
from articles.vietnamese import TIME_ZONE

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data" / "legacy"
SAMPLE_PATH = DATA / "000_c3bccbfadf54e677.txt"
SEED_PATH = PROJECT_ROOT / "articles" / "demo" / "seed_article.txt"
SAMPLE_TEXT = SAMPLE_PATH.read_bytes().decode("utf-8")
SEED_TITLE = "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”"

# A "Thông báo" page: afternoon date, a paragraph over two lines, two captions
# (one right above its photo line, one after a blank line), a paragraph that
# ends in a no-break space but has no photo after it, no list.
THONG_BAO = (
    "SỐ LƯỢT TRUY CẬP\n\n3\n7\n4\n5\n3\n9\n1\n2\n"
    "Thông báo 1 Tháng Mười Hai 2019 12:30:00 CH\n"
    "\n"
    "Thông báo lịch tiếp công dân tháng 12\n"
    "\n"
    "Ủy ban nhân dân Quận 11 thông báo lịch tiếp công dân\n"
    "định kỳ của lãnh đạo quận.\n"
    "\n"
    "Lãnh đạo quận tiếp công dân.\xa0\n"
    "\n"
    "\xa0\n"
    "\n"
    "Thời gian: 7 giờ 30  sáng thứ Năm, a < b & c.\n"
    "\n"
    "Trụ sở Ủy ban nhân dân quận \xa0 \n"
    "\n"
    "Ảnh: Địa điểm tiếp dân... \xa0 \n"
    "\xa0\xa0\n"
    "\n"
    "Số lượt người xem: 1.234\n"
    "\n"
    "TIN MỚI HƠN\n"
    "\n"
    "TIN ĐÃ ĐƯA"
)

# A page without odometer, caption or view count (its line is empty): midnight
# date, two lists
# (one interrupted by stray no-break-space lines, one after a paragraph).
NO_VIEW_COUNT = (
    "Tin tức sự kiện 5 Tháng Giêng 2020 12:05:00 SA\n"
    "Kế hoạch tháng Giêng\n"
    "Nội dung:\n"
    "1. Việc thứ nhất;\n"
    "\n"
    "\xa0\n"
    "\xa02.\xa0Việc thứ hai;\n"
    "  3.   Việc   thứ ba.\n"
    "\n"
    "Sau đó:\n"
    "\n"
    "1. Tổng kết.\n"
    "\n"
    "\xa0\n"
    "\n"
    "Số lượt người xem:\n"
    "TIN MỚI HƠN\n"
    "Một tin khác 6 Tháng Giêng 2020 8:00:00 SA\n"
)
#: How every saved page ends (the parser refuses a page without it).
PAGE_END = "\nSố lượt người xem: 1\n\nTIN MỚI HƠN\n\nTIN ĐÃ ĐƯA\n"


def datetime_local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TIME_ZONE)


def parse_file(path: Path) -> LegacyArticle:
    return parse_legacy_dump(decode_dump(path.read_bytes()))


# --- the sample ---------------------------------------------------------------


def test_sample_header():
    article = parse_file(SAMPLE_PATH)
    assert article.category == "Tin tức sự kiện"
    assert article.published_at == datetime_local(2017, 4, 21, 8, 25)
    assert article.published_at.isoformat() == "2017-04-21T08:25:00+07:00"
    assert article.title == SEED_TITLE
    assert article.view_count == 3191
    assert article.site_visit_count == 37453905


def test_sample_blocks():
    blocks = parse_file(SAMPLE_PATH).blocks
    assert [type(block) for block in blocks] == [
        Paragraph,
        Paragraph,
        Caption,
        Paragraph,
        OrderedList,
        Paragraph,
    ]
    assert blocks[0].text.startswith("Vừa qua, Ban thường vụ Quận ủy đã tổ chức")
    assert blocks[0].text.endswith("thời gian tới.")
    assert blocks[1].text.startswith("Nội dung thảo luận trong hội nghị")
    assert blocks[2] == Caption("Quang cảnh hội nghị")
    assert blocks[3] == Paragraph(
        "Quận ủy cũng đề ra 06 giải pháp thực hiện trong thời gian tới:"
    )
    assert blocks[5].text.startswith("Đảng bộ Quận 11 hiện có 43 tổ chức cơ sở đảng")
    assert blocks[5].text.endswith("256 đảng viên mới.")


def test_sample_list_items_lose_their_numbers_and_leading_space():
    (items,) = [
        b.items for b in parse_file(SAMPLE_PATH).blocks if isinstance(b, OrderedList)
    ]
    assert len(items) == 6
    assert items[0].startswith("Tăng cường công tác quán triệt, thi hành")
    assert items[1].startswith("Các chi bộ, đảng bộ tiếp tục thực hiện")
    assert items[5] == (
        "Tăng cường trách nhiệm của các ban Quận ủy trong công tác kết nạp đảng viên."
    )
    assert all(not item[0].isdigit() and item == item.strip() for item in items)


def test_sample_keeps_no_navigation_counter_or_no_break_space():
    article = parse_file(SAMPLE_PATH)
    texts = [article.title, *article.captions]
    for block in article.blocks:
        texts.extend(block.items if isinstance(block, OrderedList) else [block.text])
    for text in texts:
        assert "\xa0" not in text
        assert text == text.strip()
        for dropped in ("TIN MỚI HƠN", "TIN ĐÃ ĐƯA", "Số lượt", "SỐ LƯỢT"):
            assert dropped not in text
    assert article.captions == ("Quang cảnh hội nghị",)


def test_demo_seed_is_the_sample():
    assert SEED_PATH.read_bytes() == SAMPLE_PATH.read_bytes()


def test_article_is_immutable():
    article = parse_file(SAMPLE_PATH)
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.title = "Khác"
    assert isinstance(article.blocks, tuple)


# --- normalisation ------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings_parse_the_same(newline):
    expected = parse_legacy_dump(SAMPLE_TEXT)
    assert parse_legacy_dump(SAMPLE_TEXT.replace("\n", newline)) == expected


def test_decomposed_text_is_stored_composed():
    article = parse_legacy_dump(unicodedata.normalize("NFD", SAMPLE_TEXT))
    assert article == parse_legacy_dump(SAMPLE_TEXT)
    assert article.title == unicodedata.normalize("NFC", SEED_TITLE)


def test_decode_dump_strips_a_byte_order_mark():
    data = b"\xef\xbb\xbf" + SAMPLE_PATH.read_bytes()
    assert decode_dump(data) == SAMPLE_TEXT
    assert parse_legacy_dump(decode_dump(data)).category == "Tin tức sự kiện"


@pytest.mark.parametrize(
    "data",
    [
        "Thông báo".encode("cp1258"),
        "Tin tức sự kiện".encode("utf-16"),
        b"\xff\xfe\x00binary",
    ],
)
def test_decode_dump_rejects_other_encodings(data):
    with pytest.raises(LegacyParseError, match="not UTF-8 text"):
        decode_dump(data)


def test_crlf_file_on_disk():
    data = (DATA / "001_thong_bao_crlf.txt").read_bytes()
    assert b"\r\n" in data
    assert parse_legacy_dump(decode_dump(data)) == parse_legacy_dump(THONG_BAO)


# --- variants -------------------------------------------------------------------


def test_thong_bao_variant():
    article = parse_legacy_dump(THONG_BAO)
    assert article.category == "Thông báo"
    assert article.published_at == datetime_local(2019, 12, 1, 12, 30)
    assert article.title == "Thông báo lịch tiếp công dân tháng 12"
    assert article.view_count == 1234
    assert article.site_visit_count == 37453912
    assert article.blocks == (
        Paragraph(
            "Ủy ban nhân dân Quận 11 thông báo lịch tiếp công dân "
            "định kỳ của lãnh đạo quận."
        ),
        Caption("Lãnh đạo quận tiếp công dân"),
        Paragraph("Thời gian: 7 giờ 30 sáng thứ Năm, a < b & c."),
        Paragraph("Trụ sở Ủy ban nhân dân quận"),
        Caption("Ảnh: Địa điểm tiếp dân"),
    )
    assert article.captions == ("Lãnh đạo quận tiếp công dân", "Ảnh: Địa điểm tiếp dân")


def test_variant_with_an_empty_view_count_no_caption_or_odometer():
    article = parse_legacy_dump(NO_VIEW_COUNT)
    assert article.category == "Tin tức sự kiện"
    assert article.published_at == datetime_local(2020, 1, 5, 0, 5)
    assert article.title == "Kế hoạch tháng Giêng"
    assert article.view_count is None
    assert article.site_visit_count is None
    assert article.captions == ()
    assert article.blocks == (
        Paragraph("Nội dung:"),
        OrderedList(("Việc thứ nhất;", "Việc thứ hai;", "Việc thứ ba.")),
        Paragraph("Sau đó:"),
        OrderedList(("Tổng kết.",)),
    )


def test_a_caption_line_needs_the_photo_line_after_it():
    text = (
        "Thông báo 2 Tháng Ba 2018 9:00:00 SA\n\nTiêu đề\n\n"
        "Không có ảnh.\xa0\n\n\n\n\xa0\n\n" + "Dài " * 60 + "\xa0\n\xa0\n" + PAGE_END
    )
    blocks = parse_legacy_dump(text).blocks
    assert blocks == (Paragraph("Không có ảnh."), Paragraph(("Dài " * 60).strip()))


def test_a_caption_line_must_start_its_own_paragraph():
    text = (
        "Thông báo 2 Tháng Ba 2018 9:00:00 SA\nTiêu đề\n"
        "Dòng một\nảnh cuối đoạn.\xa0\n\xa0\n"
        "Chú thích ảnh.\xa0\n\xa0\n" + PAGE_END
    )
    assert parse_legacy_dump(text).blocks == (
        Paragraph("Dòng một ảnh cuối đoạn."),
        Caption("Chú thích ảnh"),
    )


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("Số lượt người xem: 3191", 3191),
        ("Số lượt người xem: 3.191 \xa0", 3191),
        ("Số lượt người xem:1,234,567", 1234567),
        ("  số lượt người xem :  0", 0),
        ("Số lượt người xem:", None),
    ],
)
def test_view_count_line(line, count):
    text = (
        f"Thông báo 2 Tháng Ba 2018 9:00:00 SA\nTiêu đề\nNội dung.\n\n{line}\n"
        "TIN ĐÃ ĐƯA\nSau.\n"
    )
    article = parse_legacy_dump(text)
    assert article.view_count == count
    assert article.blocks == (Paragraph("Nội dung."),)


# --- not articles -----------------------------------------------------------------

NO_DATE = SAMPLE_TEXT.replace(
    "Tin tức sự kiện 21 Tháng Tư 2017 8:25:00 SA", "Tin tức sự kiện"
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty file"),
        (" \n\xa0\r\n\t\n", "empty file"),
        (NO_DATE, "no date line"),
        ("Chỉ có một dòng chữ.\n", "no date line"),
        ("Tin tức sự kiện 21 Tháng Tư 2017 8:25:00 SA\n\n\xa0\n", "no title"),
        ("Tin tức sự kiện 21 Tháng Tư 2017 8:25:00 SA", "no title"),
        (
            "Tin tức sự kiện 21 Tháng Tư 2017 8:25:00 SA\n\nSố lượt người xem: 5\n",
            "no title",
        ),
        ("Tin tức 31 Tháng Hai 2017 8:25:00 SA\nTiêu đề\n", "bad date on line 1"),
        ("21 Tháng Tư 2017 8:25:00 SA\nTiêu đề\n", "no category"),
        (
            "Tin tức 21 Tháng Tư 2017 8:25:00 SA\nTiêu đề\nSố lượt người xem: nhiều\n"
            "TIN MỚI HƠN\n",
            "unreadable view count",
        ),
        # Cut short: what every saved page ends with is missing.
        (SAMPLE_TEXT.encode()[:301].decode(errors="ignore"), "no view-count line"),
        (SAMPLE_TEXT.split("Số lượt người xem")[0], "no view-count line"),
        (SAMPLE_TEXT.split("TIN MỚI HƠN")[0], "TIN MỚI HƠN"),
    ],
)
def test_not_an_article(text, reason):
    with pytest.raises(LegacyParseError, match=reason):
        parse_legacy_dump(text)


def test_parse_error_is_a_value_error():
    assert issubclass(LegacyParseError, ValueError)
