"""Merging: newsdesk's catalog gains every message the admin and newsdesk use.

Run on a Wagtail upgrade or after adding gettext strings (``make
messages-update``). Translations already in newsdesk's catalog are never changed;
a new message arrives untranslated, or, if Wagtail ships a Vietnamese
translation, with it as a *fuzzy* suggestion (pybabel leaves fuzzy entries out
of the .mo, so Wagtail's own translation applies until someone reviews it).
Messages no source uses any more become obsolete (``#~``) entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message

from cms.i18n.catalogs import (
    DOMAINS,
    LANGUAGE,
    Key,
    admin_catalogs,
    entries,
    is_translated,
    message_key,
    own_messages,
    project_po_path,
    read_project_catalog,
    write_catalog,
)


@dataclass
class UpdateResult:
    domain: str
    added: list[Key] = field(default_factory=list)
    suggested: list[Key] = field(default_factory=list)
    obsoleted: list[Key] = field(default_factory=list)


def _sources(
    domain: str,
) -> list[tuple[str, list[Message], dict[Key, Message], bool]]:
    """(origin, source messages, the app's own Vietnamese, whether every message
    gets an entry) in precedence order.

    Wagtail's messages all get one (its own Vietnamese is partial and uneven).
    Of Django's and the other apps' catalogs, only the messages their own
    Vietnamese leaves untranslated do: their .mo serves the rest. An entry added
    by hand to change one of those (e.g. "username") is kept all the same.
    """
    found = []
    if domain == "django":
        found.append(("newsdesk", own_messages(), {}, True))
    for source in admin_catalogs():
        if source.domain == domain:
            messages = [m for m in source.template() if m.id]
            theirs = entries(source.vietnamese())
            found.append((source.app, messages, theirs, source.is_wagtail))
    return found


def _new_entry(source: Message, origin: str, suggestion: Message | None) -> Message:
    plural = isinstance(source.id, tuple)
    string: str | tuple[str, ...] = ("",) if plural else ""
    flags = {f for f in source.flags if f != "fuzzy"}
    if is_translated(suggestion):
        string = suggestion.string
        flags.add("fuzzy")
    return Message(
        source.id,
        string,
        locations=[] if origin != "newsdesk" else source.locations,
        flags=flags,
        auto_comments=[*source.auto_comments, origin] if origin != "newsdesk" else [],
        context=source.context,
    )


def update_catalog(*, domain: str) -> UpdateResult:
    """Merge every source message into ``locale/vi/LC_MESSAGES/<domain>.po``."""
    current = read_project_catalog(domain)
    existing = entries(current)
    merged = Catalog(
        locale=LANGUAGE,
        domain=domain,
        project="newsdesk",
        header_comment="# newsdesk: Vietnamese catalog. Edit msgstr here; see "
        "docs/i18n.md and docs/glossary.md.",
        fuzzy=False,
        last_translator="newsdesk team",
        language_team="Vietnamese",
        creation_date=current.creation_date,
        revision_date=current.revision_date,
    )
    result = UpdateResult(domain)
    seen: set[Key] = set()
    for origin, messages, theirs, every_message in _sources(domain):
        for source in messages:
            key = message_key(source)
            if key in seen:
                continue
            old = existing.get(key)
            if old is None and not every_message and is_translated(theirs.get(key)):
                continue  # the app's own Vietnamese serves it
            seen.add(key)
            if old is not None:
                message = old
                message.id = source.id  # a plural form may have changed
                message.flags |= {f for f in source.flags if f != "fuzzy"}
                if origin == "newsdesk":
                    message.locations = source.locations
                    message.auto_comments = source.auto_comments
                else:
                    message.locations = []
                    message.auto_comments = [*source.auto_comments, origin]
            else:
                message = _new_entry(source, origin, theirs.get(key))
                result.added.append(key)
                if message.fuzzy:
                    result.suggested.append(key)
            merged[message.id] = message
    for key, old in existing.items():
        if key not in seen and is_translated(old):
            merged.obsolete[old.id] = old
            result.obsoleted.append(key)
    for message in current.obsolete.values():
        if message_key(message) not in seen:
            merged.obsolete[message.id] = message
    write_catalog(merged, project_po_path(domain))
    return result


def update_all() -> list[UpdateResult]:
    return [update_catalog(domain=domain) for domain in DOMAINS]
