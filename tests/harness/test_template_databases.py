"""Fresh databases for the harness servers are copies of a template migrated
once per code state (``harness.server.migrated_sqlite``)."""

import os
import shutil
import sqlite3
from contextlib import closing

import pytest

from harness.server import ROOT, TEMPLATES, migrated_sqlite, migrations_key

SETTINGS = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "cms.settings",
    "SECRET_KEY": "template-test-only",
    "DEBUG": "0",
}


def tables(path) -> set[str]:
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def test_a_changed_migration_names_another_template(tmp_path):
    (tmp_path / "articles" / "migrations").mkdir(parents=True)
    shutil.copy(ROOT / "requirements.txt", tmp_path)
    migration = tmp_path / "articles" / "migrations" / "0001_initial.py"
    migration.write_text("operations = []\n")
    before = migrations_key("cms.settings", root=tmp_path)
    assert migrations_key("cms.settings", root=tmp_path) == before
    assert migrations_key("tests.settings", root=tmp_path) != before

    migration.write_text("operations = ['changed']\n")
    assert migrations_key("cms.settings", root=tmp_path) != before
    (tmp_path / "articles" / "migrations" / "0002_more.py").write_text("")
    assert len({before, migrations_key("cms.settings", root=tmp_path)}) == 2


@pytest.mark.slow  # migrates a database in a child process (once per code state)
def test_copies_are_migrated_and_independent(tmp_path):
    setup = "from articles.services import home_page\nprint(home_page().pk)"
    first = migrated_sqlite(tmp_path / "a.sqlite3", env=SETTINGS, then=setup)
    second = migrated_sqlite(tmp_path / "b.sqlite3", env=SETTINGS, then=setup)

    assert first == second and first.split()[-1].isdigit()  # made once
    template = TEMPLATES / f"{migrations_key('cms.settings', setup)}.sqlite3"
    assert template.exists()
    assert {"articles_articlepage", "django_migrations", "newsdesk_cache"} <= tables(
        tmp_path / "a.sqlite3"
    )
    with closing(sqlite3.connect(tmp_path / "a.sqlite3")) as db, db:
        db.execute("DELETE FROM django_migrations")
    with closing(sqlite3.connect(tmp_path / "b.sqlite3")) as db:
        (left,) = db.execute("SELECT count(*) FROM django_migrations").fetchone()
    assert left > 0
