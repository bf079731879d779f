"""The glossary of docs/glossary.md, as data a test applies to every translation.

Each term maps an English pattern (matched on the msgid with its placeholders
and HTML removed) to the Vietnamese the translation must contain. Forbidden
spellings catch the variants the glossary decided against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from cms.i18n.catalogs import is_translated
from cms.i18n.checks import BRACE, PERCENT, TAG, Problem


@dataclass(frozen=True)
class Term:
    english: str  # a regular expression, matched case-insensitively on words
    vietnamese: str  # what the translation must contain (case-insensitive)

    @property
    def pattern(self) -> re.Pattern:
        return re.compile(rf"\b(?:{self.english})\b", re.IGNORECASE)


TERMS = (
    Term(r"pages?", "trang"),
    Term(r"articles?", "bài viết"),
    Term(r"categor(?:y|ies)", "chuyên mục"),
    Term(r"drafts?", "bản nháp"),
    Term(r"publish(?:ed|es|ing)?|publication", "xuất bản"),
    Term(r"unpublish(?:es|ing)?", "hủy xuất bản"),
    # "unpublished" is also the adjective: "chưa xuất bản" / "đã hủy xuất bản".
    Term(r"unpublished", "xuất bản"),
    Term(r"schedul(?:e|ed|es|ing)", "lịch"),
    Term(r"preview", "xem trước"),
    Term(r"revisions?", "phiên bản"),
    Term(r"captions?", "chú thích ảnh"),
    Term(r"view counts?", "lượt xem"),
    Term(r"images?", "ảnh"),
    Term(r"documents?", "tài liệu"),
    Term(r"collections?", "bộ sưu tập"),
    Term(r"snippets?", "đoạn nội dung"),
    Term(r"workflows?", "quy trình duyệt"),
    Term(r"moderation", "kiểm duyệt"),
    Term(r"tags?", "thẻ"),
    Term(r"users?", "người dùng"),
    Term(r"settings", "cài đặt"),
    Term(r"dashboard", "bảng điều khiển"),
    Term(r"sites?", "trang web"),
    Term(r"comments?", "bình luận"),
    Term(r"tasks?", "tác vụ"),
    Term(r"groups?", "nhóm"),
    Term(r"permissions?", "quyền"),
    Term(r"redirects?", "chuyển hướng"),
    Term(r"embeds?", "nhúng"),
    Term(r"slugs?", "đường dẫn"),
    Term(r"alias(?:es)?", "bí danh"),
    Term(r"approve[ds]?", "phê duyệt"),
    Term(r"passwords?", "mật khẩu"),
    Term(r"upload(?:ed|s|ing)?", "tải"),
    Term(r"delete[ds]?|deleting", "xóa"),
    Term(r"sign in|log in|login", "đăng nhập"),
)

# Spellings the glossary rejects, wherever they appear.
FORBIDDEN = {
    "xoá": "xóa (one accent placement throughout)",
    "khoá": "khóa",
    "hoá": "hóa",
    "luồng công việc": "quy trình duyệt",
    "thu hồi xuất bản": "hủy xuất bản",
    "trang tổng quan": "bảng điều khiển",
    "hình ảnh": "ảnh",
    "đăng tải": "tải lên",
    "văn bản đính kèm": "tài liệu",
    "file": "tệp",
    "snippet": "đoạn nội dung",
}

# msgids whose translation rightly leaves a term out: {msgid: reason}.
EXCEPTIONS: dict[str, str] = {}


def _words(text: str) -> str:
    for pattern in (PERCENT, BRACE, TAG):
        text = pattern.sub(" ", text)
    return text


def glossary_problems(catalog: Catalog) -> list[Problem]:
    problems = []
    for message in catalog:
        if not message.id or not is_translated(message):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        english = _words(" ".join(ids))
        for text in strings:
            vietnamese = _words(text).lower()
            if ids[0] not in EXCEPTIONS:
                for term in TERMS:
                    if (
                        term.pattern.search(english)
                        and term.vietnamese not in vietnamese
                    ):
                        problems.append(
                            Problem(
                                ids[0],
                                message.context,
                                f"{term.english!r} should read {term.vietnamese!r}",
                            )
                        )
            for word, instead in FORBIDDEN.items():
                if re.search(rf"\b{re.escape(word)}\b", vietnamese):
                    problems.append(
                        Problem(ids[0], message.context, f"{word!r}: use {instead!r}")
                    )
    return problems
