"""The walk's judge of English (tests/browser/english.py), without a browser."""

import pytest

from tests.browser.english import english_phrases, english_words


@pytest.mark.parametrize(
    ("text", "english"),
    [
        # What the walk found in Wagtail's admin before it was fixed.
        ("Link text", ["Link", "text"]),
        ("Địa chỉ email Subject Body", ["Subject", "Body"]),
        ("Phone number", ["Phone", "number"]),
        ("1-3 trong số 3 None", ["None"]),
        (
            "Trang web Port Site name Root page",
            ["Port", "Site", "name", "Root", "page"],
        ),
        ("Editors Moderators", ["Editors", "Moderators"]),
        ("Actions", ["Actions"]),
        ("Đăng nhập - Wagtail", ["Wagtail"]),
        ("Can add webhook", ["Can", "add"]),
        ("Go to the page", ["Go", "to", "the", "page"]),
    ],
)
def test_english_is_found(text, english):
    assert english_words(text) == english


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Văn An đã lưu bản nháp",
        # Vietnamese syllables without a tone mark, also English-looking.
        "do tin con theo so sánh thu gọn hay",
        "Đăng nhập",
        "Tiếng Việt",
        "Tie\u0302\u0301ng Vie\u0323\u0302t",  # decomposed
        # Loanwords the Vietnamese admin writes: email, URL, ID, web, menu.
        "Địa chỉ email, URL, ID, trang web, menu chính",
        # Not words: addresses, file names, slugs, sizes, formats, zones, keys.
        "phongvien@example.com https://quan11.gov.vn/tin-tuc/ hoi-nghi-chuyen-de",
        "anh-hoi-nghi.jpg 17 byte 1,5 MB Định dạng: GIF, JPEG, PNG, WEBP",
        "Asia/Ho_Chi_Minh: GMT+7 articles.articlepage",
        "Ctrl + Alt + M",
        # A word cut by an ellipsis.
        "Tăng cường công tác qu…",
    ],
)
def test_vietnamese_passes(text):
    assert english_words(text) == []


def test_a_phrase_names_its_english_words_and_its_line():
    assert english_phrases("Trang chủ\nLink text here\nXin chào") == [
        "Link, text, here ← 'Link text here'"
    ]
