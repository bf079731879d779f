"""A live demo site and a real Chromium, for the reader.

One gunicorn for the whole session (``harness.demo_site``: the demo content as
``make run`` loads it, an editor login and one saved draft). Chromium is
Debian's (``/usr/bin/chromium``, which ``.ci/run`` installs); Playwright's own
browser download is not used.
"""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.demo_site import demo_site
from harness.server import ROOT, manage

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}

#: A desktop Chrome: headless Chromium's own user agent says "HeadlessChrome",
#: which the API treats as a bot and never counts.
DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
#: Where the run saves its screenshots (git-ignored).
SCREENSHOTS = ROOT / "reader" / "screenshots"


@pytest.fixture(scope="session")
def live_site():
    with demo_site() as site:
        yield site


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_site):
    """A new reader (own storage, cookies and visitor id) at 1280 px."""
    context = browser.new_context(
        base_url=live_site.url,
        user_agent=DESKTOP_CHROME,
        viewport={"width": 1280, "height": 900},
        locale="vi-VN",
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class AdminServer:
    url: str
    env: dict
    folder: Path

    def query(self, sql: str, *params) -> list[tuple]:
        """Rows of the server's SQLite database, read as it is now."""
        with sqlite3.connect(self.folder / "db.sqlite3", timeout=30) as db:
            return db.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    """``make run``'s steps on a fresh SQLite file (migrate, demo content,
    ``setup_newsroom --demo-users``), served by ``runserver`` on a free port;
    one per test module."""
    folder = tmp_path_factory.mktemp("admin-site")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)},
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
    }
    manage(env, "migrate", "--noinput", timeout=600)
    manage(env, "createcachetable", timeout=600)
    manage(env, "load_demo", timeout=600)
    manage(env, "setup_newsroom", "--demo-users", timeout=600)
    address = f"127.0.0.1:{_free_port()}"
    # Previews in the reader site, as ``make run`` sets them.
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
        yield AdminServer(url=url, env=env, folder=folder)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def admin_site(admin_server):
    return admin_server.url


@pytest.fixture
def sign_in(browser, admin_site):
    """A new English browser (``en-US``) signed in as ``username`` (the demo
    logins' password is their name)."""
    contexts = []

    def sign_in(username, *, password=None):
        context = browser.new_context(
            base_url=admin_site,
            locale="en-US",
            extra_http_headers=ENGLISH,
            viewport={"width": 1280, "height": 900},
        )
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto("/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password or username)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    yield sign_in
    for context in contexts:
        context.close()
