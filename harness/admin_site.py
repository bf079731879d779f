"""The admin as a newsroom meets it, served for a browser test.

``make run``'s steps on a fresh SQLite file (migrate, demo content,
``setup_newsroom --demo-users``) plus a superuser with a Vietnamese name, served
by Django's development server on a free port (DEBUG serves the admin's static
files and the media), with previews in the reader site as ``make run`` sets them.
``with admin_site(folder) as site: ...``; ``site.shell`` runs code against the
same database and ``site.query`` reads it.
"""

import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.server import ROOT, free_port, manage, migrated_sqlite

#: The superuser the tests sign in as (its name is shown in the sidebar).
SUPERUSER = ("quantri", "quantri")

MAKE_SUPERUSER = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser(
    {username!r}, email="quantri@quan11.gov.vn", password={password!r},
    first_name="Quản trị", last_name="Hệ thống",
)
"""


@dataclass
class AdminSite:
    url: str
    env: dict
    folder: Path

    def shell(self, code: str) -> str:
        """Run ``code`` in ``manage.py shell`` on the site's database."""
        return manage(self.env, "shell", "-c", code, timeout=300)

    def query(self, sql: str, *params) -> list[tuple]:
        """Rows of the site's SQLite database, read as it is now."""
        with sqlite3.connect(self.folder / "db.sqlite3", timeout=30) as db:
            return db.execute(sql, params).fetchall()


@contextmanager
def admin_site(folder: Path, *, settings: dict[str, str] | None = None):
    """``settings``: environment variables the server runs with besides
    (e.g. ``{"REQUIRE_2FA": "1"}``)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)},
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        **(settings or {}),
    }
    migrated_sqlite(folder / "db.sqlite3", env=env)
    for step in (("load_demo",), ("setup_newsroom", "--demo-users")):
        manage(env, *step, timeout=600)
    username, password = SUPERUSER
    manage(
        env,
        "shell",
        "-c",
        MAKE_SUPERUSER.format(username=username, password=password),
        timeout=300,
    )
    address = f"127.0.0.1:{free_port()}"
    env["FRONTEND_PREVIEW_URL"] = f"http://{address}/preview?token={{token}}"
    with open(folder / "server.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", address],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://{address}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/healthz/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError((folder / "server.log").read_text())
        yield AdminSite(url=url, env=env, folder=folder)
    finally:
        server.terminate()
        server.wait(timeout=30)
