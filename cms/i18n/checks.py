"""Checks a translation must pass: placeholders, HTML tags, the glossary.

A translation that drops or renames ``%(name)s`` makes Django raise KeyError
when the page renders, so every entry is checked before it ships.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

from cms.i18n.catalogs import is_translated

PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?"  # %(name)
    r"[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"  # flags, width, precision
    r"(?P<type>[sdifgeExXrcab%])"
)
BRACE = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_][\w.]*|\d*)(?:![rsa])?(?::[^{}]*)?\}")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


@dataclass(frozen=True)
class Problem:
    msgid: str
    context: str | None
    problem: str

    def __str__(self) -> str:
        ctx = f" [{self.context}]" if self.context else ""
        return f"{self.msgid!r}{ctx}: {self.problem}"


def percent_placeholders(text: str) -> Counter:
    found = Counter()
    for match in PERCENT.finditer(text):
        if match["type"] == "%":
            continue
        if match["name"]:  # a name may be used any number of times
            found[(match["name"], match["type"])] = 1
        else:  # positional ones are consumed in order: their count matters
            found[("", match["type"])] += 1
    return found


def brace_placeholders(text: str) -> set[str]:
    return {m["field"] for m in BRACE.finditer(text)}


def tags(text: str) -> Counter:
    return Counter(TAG.findall(text))


def _expected(sources: list[str], extract):
    """What one Vietnamese form must carry, given the English forms.

    Vietnamese has one plural form, used for every count. It may only use names
    every English form that has placeholders offers (gettext's and pybabel's
    rule), and it must use all of those, or a count goes missing.
    """
    found = [extract(text) for text in sources]
    found = [f for f in found if f]
    if not found:
        return extract("")
    expected = found[0]
    for other in found[1:]:
        expected = expected & other
    return expected


def check_message(message: Message) -> list[str]:
    """Problems of one translated message (an empty list when it is fine)."""
    if not is_translated(message):
        return []
    sources = list(message.id) if isinstance(message.id, tuple) else [message.id]
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    problems = []
    python_format = "python-format" in message.flags or any(
        percent_placeholders(text) for text in sources
    )
    percent = _expected(sources, percent_placeholders)
    brace = _expected(sources, brace_placeholders)
    source_tags = set().union(*(set(tags(text)) for text in sources))
    for text in strings:
        if python_format and percent_placeholders(text) != percent:
            problems.append(
                f"placeholders {sorted(percent_placeholders(text))} instead of "
                f"{sorted(percent)}"
            )
        if brace_placeholders(text) != brace:
            problems.append(
                f"brace fields {sorted(brace_placeholders(text))} instead of "
                f"{sorted(brace)}"
            )
        if set(tags(text)) != source_tags:
            problems.append(f"HTML tags {sorted(tags(text))} != {sorted(source_tags)}")
        if sources[0].endswith(" ") and not text.endswith(" "):
            problems.append("the trailing space of the source is missing")
    return problems


def check_catalog(catalog: Catalog) -> list[Problem]:
    problems = []
    for message in catalog:
        if not message.id:
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        problems += [
            Problem(singular, message.context, p) for p in check_message(message)
        ]
    return problems
