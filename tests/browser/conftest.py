"""A live demo site and a real Chromium, for the reader.

One gunicorn for the whole session (``harness.demo_site``: the demo content as
``make run`` loads it, an editor login and one saved draft). Chromium is
Debian's (``/usr/bin/chromium``, which ``.ci/run`` installs); Playwright's own
browser download is not used.
"""

import shutil

import pytest

from harness.demo_site import demo_site
from harness.server import ROOT

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
