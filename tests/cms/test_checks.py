"""The project's system checks."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connections


def test_the_configured_database_is_supported():
    call_command("check")


def test_a_database_other_than_sqlite_or_postgresql_is_refused(monkeypatch):
    legacy = connections.configure_settings(
        {"default": {}, "legacy": {"ENGINE": "django.db.backends.dummy"}}
    )["legacy"]
    monkeypatch.setitem(connections.settings, "legacy", legacy)
    try:
        with pytest.raises(SystemCheckError, match=r"newsdesk\.E001"):
            call_command("check")
    finally:
        connections._connections.__dict__.pop("legacy", None)
