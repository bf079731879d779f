"""How much of what the admin shows has a Vietnamese translation."""

from __future__ import annotations

from dataclasses import dataclass

from cms.i18n.catalogs import (
    OWN_APPS,
    admin_catalogs,
    entries,
    is_translated,
    message_key,
    own_messages,
    read_project_catalog,
)

# Below these shares (of message ids) `make i18n-coverage` fails: each catalog
# the admin uses (Wagtail's, Django's, taggit's), newsdesk's own, and all of
# them together (what an editor can meet).
WAGTAIL_THRESHOLD = 0.95
OWN_THRESHOLD = 1.0
TOTAL_THRESHOLD = 0.99
TOTAL_NAME = "all admin-facing strings"


@dataclass(frozen=True)
class Coverage:
    name: str
    total: int
    translated: int
    threshold: float
    missing: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 1.0

    @property
    def ok(self) -> bool:
        return self.share >= self.threshold


def wagtail_coverage() -> list[Coverage]:
    """Per catalog the admin uses (Wagtail's, Django's and the others of
    ``catalogs.admin_catalogs``): ids translated by newsdesk's catalog or the
    app's own vi."""
    project = {
        domain: entries(read_project_catalog(domain))
        for domain in ("django", "djangojs")
    }
    found = []
    for catalog in admin_catalogs():
        ours = project[catalog.domain]
        theirs = entries(catalog.vietnamese())
        keys = [message_key(m) for m in catalog.template() if m.id]
        missing = [
            key[0]
            for key in keys
            if not (is_translated(ours.get(key)) or is_translated(theirs.get(key)))
        ]
        found.append(
            Coverage(
                catalog.name,
                len(keys),
                len(keys) - len(missing),
                WAGTAIL_THRESHOLD,
                tuple(missing),
            )
        )
    return found


def own_coverage() -> Coverage:
    """newsdesk's own gettext strings (extracted from the code) in its catalog."""
    ours = entries(read_project_catalog("django"))
    keys = [message_key(m) for m in own_messages()]
    missing = [key[0] for key in keys if not is_translated(ours.get(key))]
    return Coverage(
        f"newsdesk ({', '.join(OWN_APPS)})",
        len(keys),
        len(keys) - len(missing),
        OWN_THRESHOLD,
        tuple(missing),
    )


def total_coverage(rows: list[Coverage]) -> Coverage:
    """Every catalog together; an id in two catalogs counts in each."""
    return Coverage(
        TOTAL_NAME,
        sum(row.total for row in rows),
        sum(row.translated for row in rows),
        TOTAL_THRESHOLD,
        tuple(msgid for row in rows for msgid in row.missing),
    )


def all_coverage() -> list[Coverage]:
    rows = [*wagtail_coverage(), own_coverage()]
    return [*rows, total_coverage(rows)]
