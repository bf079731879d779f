"""Reading the catalogs involved: Wagtail's templates and translations, newsdesk's.

A message is keyed by ``(msgid, msgctxt)``; for plural messages the msgid is the
singular form, as in gettext.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.pofile import read_po, write_po
from django.apps import apps
from django.conf import settings
from django.utils.translation.template import templatize

LANGUAGE = "vi"
DOMAINS = ("django", "djangojs")
# newsdesk's own apps: their gettext strings must all be translated.
OWN_APPS = ("cms", "articles", "counters", "api")
# Django's gettext functions, beyond Babel's default keywords.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

Key = tuple[str, str | None]


@dataclass(frozen=True)
class WagtailCatalog:
    """One catalog of an installed Wagtail app, e.g. wagtail.admin's djangojs."""

    app: str
    domain: str
    locale_dir: Path

    @property
    def name(self) -> str:
        return self.app if self.domain == "django" else f"{self.app} ({self.domain})"

    def template(self) -> Catalog:
        """Wagtail's source messages (its English catalog holds every msgid)."""
        return read_catalog(self.locale_dir / "en" / "LC_MESSAGES" / self.po_name)

    def vietnamese(self) -> Catalog:
        """Wagtail's own Vietnamese translations (empty if it ships none)."""
        path = self.locale_dir / LANGUAGE / "LC_MESSAGES" / self.po_name
        return read_catalog(path) if path.exists() else Catalog()

    @property
    def po_name(self) -> str:
        return f"{self.domain}.po"


def admin_catalogs() -> list[WagtailCatalog]:
    """Every catalog of the installed Wagtail apps, in INSTALLED_APPS order.

    Only wagtail.admin ships a ``djangojs`` catalog, and its JavaScript catalog
    view (``wagtail.admin.views.i18n``) is what the admin's scripts load.
    """
    found = []
    for config in apps.get_app_configs():
        if config.name != "wagtail" and not config.name.startswith("wagtail."):
            continue
        locale_dir = Path(config.path) / "locale"
        for domain in DOMAINS:
            if (locale_dir / "en" / "LC_MESSAGES" / f"{domain}.po").exists():
                found.append(WagtailCatalog(config.name, domain, locale_dir))
    return found


def project_po_path(domain: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f)


def read_project_catalog(domain: str) -> Catalog:
    path = project_po_path(domain)
    if not path.exists():
        return Catalog(locale=LANGUAGE, domain=domain)
    with open(path, "rb") as f:
        return read_po(f, locale=LANGUAGE, domain=domain)


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, catalog, width=88, sort_output=False, include_previous=False)


def extract_django_template(fileobj, keywords, comment_tags, options):
    """Babel extractor for Django templates (``{% translate %}`` and friends).

    Django's ``templatize`` turns a template into the Python-like source that
    ``makemessages`` feeds to xgettext; Babel's Python extractor reads it here,
    so no GNU gettext is needed.
    """
    source = templatize(fileobj.read().decode("utf-8"))
    yield from extract_python(
        io.BytesIO(source.encode("utf-8")), keywords, comment_tags, options
    )


def own_messages(
    *, base: Path | None = None, packages: tuple[str, ...] = OWN_APPS
) -> list[Message]:
    """newsdesk's own gettext strings, extracted with Babel (no xgettext needed)."""
    base = Path(settings.BASE_DIR) if base is None else base
    messages: dict[Key, Message] = {}
    for app in packages:
        found = extract_from_dir(
            base / app,
            method_map=[
                ("**/migrations/**", "ignore"),
                ("**.py", "python"),
                ("**/templates/**.html", extract_django_template),
            ],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        )
        for filename, lineno, text, comments, context in found:
            singular, plural = (
                (text[0], text[1])
                if isinstance(text, tuple)
                else (
                    text,
                    None,
                )
            )
            key = (singular, context)
            location = (f"{app}/{filename}", lineno)
            if key in messages:
                messages[key].locations.append(location)
                continue
            messages[key] = Message(
                (singular, plural) if plural else singular,
                locations=[location],
                auto_comments=comments,
                context=context,
            )
    return list(messages.values())


def message_key(message: Message) -> Key:
    return (message.id[0] if isinstance(message.id, tuple) else message.id), (
        message.context
    )


def is_translated(message: Message | None) -> bool:
    """Translated: not fuzzy, and every plural form filled in."""
    if message is None or message.fuzzy or not message.id:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def entries(catalog: Catalog) -> dict[Key, Message]:
    return {message_key(m): m for m in catalog if m.id}
