"""Telling English words in what the admin shows from Vietnamese.

Vietnamese is written in Latin letters too, so "any ASCII word" would not do:
"do", "tin", "con", "theo" are everyday Vietnamese syllables with no tone mark,
and "Nguyễn Văn An" signs in. A word is English here when:

1. it is written in ASCII letters only, standing alone (a word with a
   Vietnamese letter, "Đăng", is Vietnamese; digits, URLs, e-mail addresses
   and file names are cut out first);
2. it is a common English word: wordfreq's Zipf frequency in English is at
   least 3 (once per million words; "moderators" 3.0, "subject" 5.0), and
3. it cannot be a Vietnamese syllable (no Vietnamese initial, vowel and final
   spell it: "page", "link", "body", "root"), or, when it can, it is clearly
   more English than Vietnamese (English frequency at least 1 above its
   Vietnamese one: "the", "to", "in", "me" are flagged; "do", "so", "an",
   "long", "tin" are not).

wordfreq (PyPI, maintained, ships its word lists) gives both languages'
frequencies from the same sources, so neither list is written by hand here.
"Wagtail" is flagged as well although it is a rare English word: the admin
speaks for the portal, not for the framework it is built with.

Allowed: the few words the Vietnamese admin itself writes in Latin letters, as
Vietnamese readers do (`LOANWORDS`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Used as they are by the Vietnamese catalog (locale/vi) and by Vietnamese
# government portals: "địa chỉ email", "URL", "ID", "trang web" (the glossary's
# word for a site), "menu".
LOANWORDS = frozenset({"email", "url", "id", "web", "menu"})
# Names the admin must not show although wordfreq hardly knows them.
ALWAYS = frozenset({"wagtail"})

MIN_ENGLISH_ZIPF = 3.0
MARGIN_OVER_VIETNAMESE = 1.0

_INITIAL = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx]"
# Vowel groups a syllable spells without diacritics ("oo" only in "-oong").
_NUCLEUS = "oai|oay|uay|uya|uyu|ai|ao|au|ay|eo|ia|iu|oa|oe|oi|ua|ui|uy|[aeiouy]"
_FINAL = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(rf"^(?:{_INITIAL})?(?:(?:{_NUCLEUS})(?:{_FINAL})?|oong)$")

_CUT = re.compile(
    r"\S+@\S+"  # e-mail addresses
    r"|\b\d+(?:[.,]\d+)?\s*(?:bytes?|[KMGT]i?B|px)\b"  # sizes: 12 KB, 800 px
    r"|\b(?:AVIF|GIF|JPE?G|PNG|WEBP|SVG|PDF|CSV|XLSX|DOCX?|HTML)\b"  # formats
    r"|\b(?:https?://|www\.)\S+"  # URLs
    r"|\S+\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|csv|odt|pptx?|txt|rtf)\b"
    r"|\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b"  # slugs: hoi-nghi-chuyen-de
    r"|\b[a-z_]+\.[a-z_]+\b"  # model names: articles.articlepage
    r"|\b[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+"  # time zones: Asia/Ho_Chi_Minh
    r"|\b(?:GMT|UTC)(?:[+-]\d+(?::\d+)?)?\b"  # their offsets: GMT+7
    r"|\b(?:Ctrl|Alt|Shift|Cmd|Option)(?=\s*\+)",  # keys printed on a keyboard
    re.I,
)
# ASCII letters not touching another letter (so not part of "Đăng"), nor cut
# short by an ellipsis ("công tác qu…").
_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]+(?![^\W\d_]|…)")


def is_vietnamese_syllable(word: str) -> bool:
    return bool(_SYLLABLE.match(word.lower()))


@cache
def is_english(word: str) -> bool:
    from wordfreq import zipf_frequency

    lower = word.lower()
    if lower in ALWAYS:
        return True
    if len(lower) < 2 or lower in LOANWORDS:
        return False
    english = zipf_frequency(lower, "en")
    if english < MIN_ENGLISH_ZIPF:
        return False
    if not is_vietnamese_syllable(lower):
        return True
    return english - zipf_frequency(lower, "vi") >= MARGIN_OVER_VIETNAMESE


def english_words(text: str) -> list[str]:
    """The English words of ``text``, in order."""
    # Composed: "Tiếng" may come decomposed (e + combining marks + ng).
    text = unicodedata.normalize("NFC", text)
    return [w for w in _WORD.findall(_CUT.sub(" ", text)) if is_english(w)]


def english_phrases(text: str, *, width: int = 70) -> list[str]:
    """Each line of ``text`` holding English: its English words, and the line
    (cut to ``width``) to find it by."""
    found = []
    for line in text.splitlines():
        line = unicodedata.normalize("NFC", " ".join(line.split()))
        words = english_words(line)
        if words:
            shown = line if len(line) <= width else line[: width - 1] + "…"
            found.append(f"{', '.join(dict.fromkeys(words))} ← {shown!r}")
    return found
