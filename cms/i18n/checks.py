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
    r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<type>[sdifgeExXrcab%])"
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
        found[(match["name"], match["type"]) if match["name"] else ("", match["type"])] += 1
    return found


def brace_placeholders(text: str) -> set[str]:
    return {m["field"] for m in BRACE.finditer(text)}


def tags(text: str) -> Counter:
    return Counter(TAG.findall(text))


def _forms(message: Message) -> tuple[str, list[str]]:
    """The source text the translation must match, and the translated forms.

    Vietnamese has one plural form, used for every count, so it must carry the
    placeholders of the English *plural* form.
    """
    source = message.id[-1] if isinstance(message.id, tuple) else message.id
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return source, list(strings)


def check_message(message: Message) -> list[str]:
    """Problems of one translated message (an empty list when it is fine)."""
    if not is_translated(message):
        return []
    source, strings = _forms(message)
    problems = []
    python_format = "python-format" in message.flags or bool(
        percent_placeholders(source)
    )
    brace_format = "python-brace-format" in message.flags
    for text in strings:
        if python_format:
            expected = percent_placeholders(source)
            got = percent_placeholders(text)
            if set(expected) != set(got):
                problems.append(
                    f"placeholders {sorted(got)} instead of {sorted(expected)}"
                )
            else:
                positional = {k: n for k, n in expected.items() if not k[0]}
                if positional != {k: n for k, n in got.items() if not k[0]}:
                    problems.append("a different number of positional placeholders")
        if (brace_format or brace_placeholders(source)) and brace_placeholders(
            source
        ) != brace_placeholders(text):
            problems.append(
                f"brace fields {sorted(brace_placeholders(text))} instead of "
                f"{sorted(brace_placeholders(source))}"
            )
        if set(tags(source)) != set(tags(text)):
            problems.append(f"HTML tags {sorted(tags(text))} != {sorted(tags(source))}")
        if source.strip() and source[-1] == " " and text[-1:] != " ":
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
