"""Tests for articles.vietnamese: NFC, slugs, admin slug formatters, search
folding and the legacy portal's date format. Pure Python, no Django settings."""

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from articles.vietnamese import (
    SLUG_FORMATTERS,
    TIME_ZONE,
    find_portal_datetime,
    fold_for_search,
    format_portal_datetime,
    nfc,
    parse_portal_datetime,
    slugify_vi,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEED_TITLE = "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”"
SEED_SLUG = "hoi-nghi-chuyen-de-thuc-trang-tinh-hinh-cong-tac-ket-nap-dang-vien"

_TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_VOWELS_BY_BASE = {"a": "aăâ", "e": "eê", "i": "i", "o": "oôơ", "u": "uư", "y": "y"}


def vietnamese_letters() -> dict[str, str]:
    """Every Vietnamese letter with a mark, both cases, mapped to its ASCII base.

    Built by composing vowels with tone marks, independently of the module.
    """
    letters = {"đ": "d", "Đ": "d"}
    for base, vowels in _VOWELS_BY_BASE.items():
        for vowel in vowels:
            for mark in _TONE_MARKS:
                letter = unicodedata.normalize("NFC", vowel + mark)
                assert len(letter) == 1, f"{letter!r} has no precomposed form"
                if letter != base:
                    letters[letter] = base
                    letters[letter.upper()] = base
    return letters


LETTERS = vietnamese_letters()
TITLES = [
    SEED_TITLE,
    "Tin tức sự kiện",
    "Thông báo",
    "ĐẠI HỘI ĐẢNG BỘ QUẬN 11 LẦN THỨ XI, NHIỆM KỲ 2015 - 2020",
    "Ưu tiên ứng dụng công nghệ thông tin trong cải cách hành chính",
    "Hướng dẫn đăng ký thường trú, tạm trú năm 2017",
    "Lễ kỷ niệm 42 năm Ngày Giải phóng miền Nam, thống nhất đất nước",
    "Đoàn viên Đỗ Thị Ngọc Ánh được khen thưởng",
    "Kế hoạch 117-KH/QU ngày 06/8/2013 của Ban thường vụ Quận ủy",
    "“Non sông liền một dải” – kỷ niệm 30/4 và 1/5…",
    "[Thông báo] Lịch_tiếp công dân (đợt 2); giờ: 7h30!",
    "- 'Tin' -- ngắn -",
    " ".join(LETTERS),
]


def test_letter_table_is_complete():
    # 12 vowels x 6 tones, less the 6 plain ASCII vowels, in two cases; plus đ/Đ.
    assert len(LETTERS) == (12 * 6 - 6) * 2 + 2


# --- nfc --------------------------------------------------------------------


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Hội nghị")
    assert decomposed != "Hội nghị"
    assert nfc(decomposed) == "Hội nghị"
    assert len(nfc(decomposed)) == len("Hội nghị") == 8


# --- slugify_vi ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        (SEED_TITLE, SEED_SLUG),
        ("Tin tức sự kiện", "tin-tuc-su-kien"),
        ("Thông báo", "thong-bao"),
        ("Đảng bộ Đồng Nai đổi mới", "dang-bo-dong-nai-doi-moi"),
        ("ĐĐ đđ", "dd-dd"),
        ("Quận 11 – kết quả: 256 đảng viên!!", "quan-11-ket-qua-256-dang-vien"),
        ("  --“Xin chào”--  ", "xin-chao"),
        ("a...b___c / d", "a-b-c-d"),
        ("Ưu tiên ỨNG DỤNG", "uu-tien-ung-dung"),
        ("!!! … “”", ""),
    ],
)
def test_slugify_vi(text, slug):
    assert slugify_vi(text) == slug


def test_slugify_vi_gives_the_same_slug_for_decomposed_text():
    assert slugify_vi(unicodedata.normalize("NFD", SEED_TITLE)) == SEED_SLUG


@pytest.mark.parametrize(("letter", "base"), sorted(LETTERS.items()))
def test_slugify_vi_folds_every_vietnamese_letter_to_its_base(letter, base):
    assert slugify_vi(f"x{letter}x") == f"x{base}x"


def test_slugify_vi_cuts_at_a_hyphen_within_max_length():
    assert slugify_vi(SEED_TITLE, max_length=20) == "hoi-nghi-chuyen-de"
    # "hoi-nghi-chuyen-de-thuc" is 23 characters: it fits exactly.
    assert slugify_vi(SEED_TITLE, max_length=23) == "hoi-nghi-chuyen-de-thuc"
    assert slugify_vi(SEED_TITLE, max_length=len(SEED_SLUG)) == SEED_SLUG


def test_slugify_vi_cuts_a_single_long_word_mid_word():
    assert slugify_vi("Nghiêngnghiêngnghiêng", max_length=10) == "nghiengngh"


def test_slugify_vi_never_exceeds_max_length_or_ends_with_a_hyphen():
    for max_length in range(1, len(SEED_SLUG) + 5):
        slug = slugify_vi(SEED_TITLE, max_length=max_length)
        assert 0 < len(slug) <= max_length
        assert SEED_SLUG.startswith(slug)
        assert not slug.endswith("-")


def test_slugify_vi_rejects_a_non_positive_max_length():
    with pytest.raises(ValueError, match="max_length"):
        slugify_vi("Thông báo", max_length=0)


# --- SLUG_FORMATTERS ------------------------------------------------------------


def wagtail_urlify(text: str) -> str:
    """What Wagtail's admin script does after the formatters, in Python.

    Transcribed from urlify() in wagtailadmin/js/core.js with
    WAGTAIL_ALLOW_UNICODE_SLUGS = False, minus its transliteration map (a letter
    the formatters missed is dropped here instead, so the comparison fails).
    """
    slug = re.sub(r"[^-\w\s]", "", text.lower(), flags=re.ASCII)
    return re.sub(r"[-\s]+", "-", slug)[:255].rstrip("-")


def apply_formatters(text: str) -> str:
    """Run SLUG_FORMATTERS on ``text`` the way the admin script does."""
    for pattern, replacement in SLUG_FORMATTERS:
        text = pattern.sub(replacement, text)
    return text


def test_slug_formatters_use_only_javascript_compatible_flags():
    for pattern, replacement in SLUG_FORMATTERS:
        assert pattern.flags & ~(re.IGNORECASE | re.UNICODE) == 0, pattern
        assert replacement in {"", "a", "e", "i", "o", "u", "y", "d", " "}


@pytest.mark.parametrize(("letter", "base"), sorted(LETTERS.items()))
def test_slug_formatters_replace_every_vietnamese_letter(letter, base):
    assert apply_formatters(letter) == base
    # Decomposed, the base letter keeps its case; Wagtail lowercases after.
    assert apply_formatters(unicodedata.normalize("NFD", letter)).lower() == base


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_slug_formatters_then_wagtail_give_slugify_vi(title, form):
    typed = unicodedata.normalize(form, title)
    assert wagtail_urlify(apply_formatters(typed)) == slugify_vi(title)


_NODE_SCRIPT = r"""
const { formatters, titles } = JSON.parse(require("fs").readFileSync(0, "utf8"));
// CleanController.format() in wagtailadmin/js/core.js (trim value = true).
const format = (value) => formatters.reduce(
  (text, [[pattern, flags], replacement]) =>
    text[flags.includes("g") ? "replaceAll" : "replace"](
      new RegExp(pattern, flags), replacement),
  value.trim());
// urlify() after its transliteration step, for both values of allowUnicode.
const urlify = (value, allowUnicode) => {
  let slug = value.toLowerCase();
  slug = allowUnicode
    ? slug.replace(/[^-_\p{L}\p{N}\s]/gu, "")
    : slug.replace(/[^-\w\s]/g, "");
  return slug.replace(/[-\s]+/g, "-").substring(0, 255).replace(/-+$/g, "");
};
process.stdout.write(JSON.stringify(
  titles.map((title) => [urlify(format(title), true), urlify(format(title), false)])));
"""

# Builds the formatter value exactly as SlugInput does, with wagtail's own
# get_js_regex; run in a child process because wagtail.coreutils reads Django
# settings at import and these tests must not configure settings in-process.
_JS_FORMATTERS_SCRIPT = """
import json
from django.conf import settings
settings.configure()
from wagtail.coreutils import get_js_regex
from articles.vietnamese import SLUG_FORMATTERS
print(json.dumps([[get_js_regex(regex), repl] for regex, repl in SLUG_FORMATTERS]))
"""


def js_formatters() -> list:
    """SLUG_FORMATTERS as the admin widget sends them to the browser."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", _JS_FORMATTERS_SCRIPT],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.slow  # starts node
def test_slug_formatters_in_javascript_give_slugify_vi():
    node = shutil.which("node")
    assert node, "node is needed to check the admin slug formatters"
    typed = TITLES + [unicodedata.normalize("NFD", title) for title in TITLES]
    result = subprocess.run(
        [node, "-e", _NODE_SCRIPT],
        input=json.dumps({"formatters": js_formatters(), "titles": typed}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    expected = [[slugify_vi(title)] * 2 for title in typed]
    assert json.loads(result.stdout) == expected


# --- fold_for_search --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("KẾT NẠP đảng viên", "ket nap dang vien"),
        ("Đảng bộ Quận 11: “Đổi mới”!", "dang bo quan 11: “doi moi”!"),
        ("  Ưu   tiên\xa0ỨNG DỤNG ", "  uu   tien\xa0ung dung "),
        ("Straße", "strasse"),
    ],
)
def test_fold_for_search(text, folded):
    assert fold_for_search(text) == folded


def test_fold_for_search_ignores_normal_form():
    text = "Hội nghị chuyên đề kết nạp Đảng viên"
    assert fold_for_search(unicodedata.normalize("NFD", text)) == fold_for_search(text)


@pytest.mark.parametrize(("letter", "base"), sorted(LETTERS.items()))
def test_fold_for_search_folds_every_vietnamese_letter(letter, base):
    assert fold_for_search(letter) == base


def test_fold_for_search_is_idempotent():
    once = fold_for_search(SEED_TITLE)
    assert fold_for_search(once) == once


# --- portal dates -----------------------------------------------------------------


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TIME_ZONE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21 Tháng Tư 2017 8:25:00 SA", local(2017, 4, 21, 8, 25)),
        ("1 Tháng Một 2018 12:05:00 SA", local(2018, 1, 1, 0, 5)),
        ("1 Tháng Một 2018 12:30:00 CH", local(2018, 1, 1, 12, 30)),
        ("1 Tháng Một 2018 1:00:00 CH", local(2018, 1, 1, 13, 0)),
        ("31 Tháng Mười Hai 2019 11:59:59 CH", local(2019, 12, 31, 23, 59, 59)),
        ("30 Tháng Mười Một 2019 11:59:59 SA", local(2019, 11, 30, 11, 59, 59)),
        ("5 Tháng Giêng 2020 7:00:00 SA", local(2020, 1, 5, 7)),
        ("5 Tháng Chạp 2020 7:00:00 SA", local(2020, 12, 5, 7)),
        ("5 Tháng Bốn 2020 7:00:00 SA", local(2020, 4, 5, 7)),
        ("29 Tháng Hai 2016 3:04:05 CH", local(2016, 2, 29, 15, 4, 5)),
        ("05 Tháng Mười 2016 03:04:05 CH", local(2016, 10, 5, 15, 4, 5)),
        # Case and whitespace (no-break spaces, runs, ends) are free.
        ("21 tháng tư 2017 8:25:00 sa", local(2017, 4, 21, 8, 25)),
        ("21 THÁNG MƯỜI MỘT 2017 8:25:00 Ch", local(2017, 11, 21, 20, 25)),
        (
            " 21\xa0Tháng  Mười\xa0 Một 2017\t8:25:00\xa0SA\xa0 ",
            local(2017, 11, 21, 8, 25),
        ),
        (
            unicodedata.normalize("NFD", "21 Tháng Tư 2017 8:25:00 SA"),
            local(2017, 4, 21, 8, 25),
        ),
    ],
)
def test_parse_portal_datetime(text, expected):
    parsed = parse_portal_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo == TIME_ZONE
    assert parsed.utcoffset() == timedelta(hours=7)
    assert (parsed.hour, parsed.minute) == (expected.hour, expected.minute)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not a portal date"),
        ("21/04/2017 08:25", "not a portal date"),
        ("21 Tháng Tư 2017 8:25 SA", "not a portal date"),
        ("21 Tháng Tư 2017 8:25:00", "not a portal date"),
        ("21 Tháng Tư 2017 8:25:00 AM", "not a portal date"),
        ("21 Tháng 4 2017 8:25:00 SA", "not a portal date"),
        ("21 Tháng Tư 17 8:25:00 SA", "not a portal date"),
        ("Tin tức 21 Tháng Tư 2017 8:25:00 SA", "not a portal date"),
        ("21 Tháng Tư 2017 8:25:00 SA nữa", "not a portal date"),
        ("21 Tháng Tư 2017 8:5:00 SA", "not a portal date"),
        ("21 Tháng Mườii 2017 8:25:00 SA", "unknown month name"),
        ("21 Tháng Mười Ba 2017 8:25:00 SA", "unknown month name"),
        ("21 Tháng Bốn Một 2017 8:25:00 SA", "unknown month name"),
        ("21 Tháng Tư 2017 0:25:00 SA", "hour 0"),
        ("21 Tháng Tư 2017 13:25:00 CH", "hour 13"),
        ("21 Tháng Tư 2017 8:60:00 SA", "out of range"),
        ("21 Tháng Tư 2017 8:25:60 SA", "out of range"),
        ("31 Tháng Hai 2017 8:25:00 SA", "not a calendar date"),
        ("29 Tháng Hai 2017 8:25:00 SA", "not a calendar date"),
        ("31 Tháng Tư 2017 8:25:00 SA", "not a calendar date"),
        ("0 Tháng Tư 2017 8:25:00 SA", "not a calendar date"),
        ("1 Tháng Tư 0000 8:25:00 SA", "not a calendar date"),
    ],
)
def test_parse_portal_datetime_rejects(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_portal_datetime(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (local(2017, 4, 21, 8, 25), "21 Tháng Tư 2017 8:25:00 SA"),
        (local(2020, 11, 1, 0, 5), "1 Tháng Mười Một 2020 12:05:00 SA"),
        (local(2020, 12, 9, 12, 30, 7), "9 Tháng Mười Hai 2020 12:30:07 CH"),
        (local(2020, 1, 9, 13, 0), "9 Tháng Một 2020 1:00:00 CH"),
        (local(2020, 7, 9, 23, 59, 59), "9 Tháng Bảy 2020 11:59:59 CH"),
        # Other time zones are converted: 01:25 UTC is 08:25 in Hồ Chí Minh City.
        (datetime(2017, 4, 21, 1, 25, tzinfo=UTC), "21 Tháng Tư 2017 8:25:00 SA"),
        (datetime(2017, 4, 30, 20, 0, tzinfo=UTC), "1 Tháng Năm 2017 3:00:00 SA"),
    ],
)
def test_format_portal_datetime(value, text):
    assert format_portal_datetime(value) == text


def test_format_portal_datetime_rejects_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        format_portal_datetime(datetime(2017, 4, 21, 8, 25))


@pytest.mark.parametrize("month", range(1, 13))
def test_portal_datetime_round_trip_for_every_month_and_hour(month):
    seen_halves = set()
    for hour in range(24):
        for minute, second in [(0, 0), (5, 9), (59, 59)]:
            value = local(2021, month, 28, hour, minute, second)
            text = format_portal_datetime(value)
            assert parse_portal_datetime(text) == value, text
            seen_halves.add(text[-2:])
    assert seen_halves == {"SA", "CH"}


@pytest.mark.parametrize("month", range(1, 13))
def test_twelve_oclock_is_midnight_sa_and_noon_ch(month):
    midnight = format_portal_datetime(local(2021, month, 1, 0, 0))
    noon = format_portal_datetime(local(2021, month, 1, 12, 0))
    assert midnight.endswith(" 12:00:00 SA")
    assert noon.endswith(" 12:00:00 CH")
    assert parse_portal_datetime(midnight).hour == 0
    assert parse_portal_datetime(noon).hour == 12


def test_format_portal_datetime_names_every_month():
    names = [
        format_portal_datetime(local(2021, month, 1, 9)).split(" 2021 ")[0]
        for month in range(1, 13)
    ]
    assert names == [
        "1 Tháng Một",
        "1 Tháng Hai",
        "1 Tháng Ba",
        "1 Tháng Tư",
        "1 Tháng Năm",
        "1 Tháng Sáu",
        "1 Tháng Bảy",
        "1 Tháng Tám",
        "1 Tháng Chín",
        "1 Tháng Mười",
        "1 Tháng Mười Một",
        "1 Tháng Mười Hai",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Tin tức sự kiện 21 Tháng Tư 2017 8:25:00 SA",
            ("Tin tức sự kiện", local(2017, 4, 21, 8, 25)),
        ),
        (
            "  Thông báo\xa0\xa01 Tháng Mười Hai 2019 12:30:00 CH \xa0",
            ("Thông báo", local(2019, 12, 1, 12, 30)),
        ),
        ("21 Tháng Tư 2017 8:25:00 SA", ("", local(2017, 4, 21, 8, 25))),
        ("Tin 2 21 Tháng Tư 2017 8:25:00 SA", ("Tin 2", local(2017, 4, 21, 8, 25))),
    ],
)
def test_find_portal_datetime(line, expected):
    assert find_portal_datetime(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "",
        "Tin tức sự kiện",
        "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”",
        "Tin tức sự kiện 21 Tháng Tư 2017 8:25:00 SA, đã sửa",
        "Tin tức sự kiện21 Tháng Tư 2017 8:25:00 SA",
        "Số lượt người xem: 3191",
    ],
)
def test_find_portal_datetime_without_a_date_at_the_end(line):
    assert find_portal_datetime(line) is None


def test_find_portal_datetime_rejects_an_impossible_date():
    with pytest.raises(ValueError, match="not a calendar date"):
        find_portal_datetime("Tin tức sự kiện 31 Tháng Hai 2017 8:25:00 SA")
