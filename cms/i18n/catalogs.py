"""Reading the catalogs involved: Wagtail's templates and translations, newsdesk's.

A message is keyed by ``(msgid, msgctxt)``; for plural messages the msgid is the
singular form, as in gettext.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import django
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.pofile import read_po, write_po
from django.apps import apps
from django.conf import settings
from django.utils.translation.template import templatize

LANGUAGE = "vi"
DOMAINS = ("django", "djangojs")
# newsdesk's own apps: their gettext strings must all be translated.
OWN_APPS = ("cms", "articles", "counters", "api", "webhooks", "security")
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


# What an editor meets beside Wagtail: Django's own catalog (forms, validators,
# timesince, ...), the contrib apps the admin's pages use, and taggit (the tags
# field's help). They are translated through newsdesk's catalog like Wagtail's.
DJANGO_CONTRIB_APPS = (
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.humanize",
)
OTHER_APPS = ("taggit",)


@dataclass(frozen=True)
class SourceCatalog:
    """One catalog the admin uses, e.g. wagtail.admin's djangojs or Django's own."""

    app: str
    domain: str
    locale_dir: Path

    @property
    def name(self) -> str:
        return self.app if self.domain == "django" else f"{self.app} ({self.domain})"

    @property
    def is_wagtail(self) -> bool:
        return self.app == "wagtail" or self.app.startswith("wagtail.")

    def template(self) -> Catalog:
        """The source messages (the English catalog holds every msgid)."""
        return read_catalog(self.locale_dir / "en" / "LC_MESSAGES" / self.po_name)

    def vietnamese(self) -> Catalog:
        """The app's own Vietnamese translations (empty if it ships none)."""
        path = self.locale_dir / LANGUAGE / "LC_MESSAGES" / self.po_name
        return read_catalog(path) if path.exists() else Catalog()

    @property
    def po_name(self) -> str:
        return f"{self.domain}.po"


WagtailCatalog = SourceCatalog  # its first name


def admin_catalogs() -> list[SourceCatalog]:
    """Every catalog the admin's pages use: Wagtail's apps (in INSTALLED_APPS
    order), then Django's own, its contrib apps and the others listed above.

    Only wagtail.admin ships a ``djangojs`` catalog the admin loads (its
    JavaScript catalog view, ``wagtail.admin.views.i18n``); Django's own
    ``djangojs`` serves django.contrib.admin's scripts, which Wagtail never loads.
    """
    wagtail, others = [], []
    for config in apps.get_app_configs():
        is_wagtail = config.name == "wagtail" or config.name.startswith("wagtail.")
        if not is_wagtail and config.name not in (*DJANGO_CONTRIB_APPS, *OTHER_APPS):
            continue
        locale_dir = Path(config.path) / "locale"
        for domain in DOMAINS if is_wagtail else ("django",):
            if (locale_dir / "en" / "LC_MESSAGES" / f"{domain}.po").exists():
                (wagtail if is_wagtail else others).append(
                    SourceCatalog(config.name, domain, locale_dir)
                )
    core = SourceCatalog(
        "django", "django", Path(django.__file__).parent / "conf" / "locale"
    )
    return [*wagtail, core, *others]


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
