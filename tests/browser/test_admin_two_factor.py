"""Two-factor sign-in in a real Chromium with an English browser: the first
sign-in of an administrator sets it up (reading the key under the QR code
into an authenticator, here django-otp's own TOTP), keeps the recovery
codes, then signs in again with a code and with a recovery code; a reporter
without a second factor reaches only the setup page.

Its own development server (``harness.admin_site`` with ``REQUIRE_2FA=1``;
every other browser test runs without it), set up as ``make run`` does.
"""

import base64
import os
import re
import shutil

import pytest
from django_otp.oath import TOTP

from harness.admin_site import SUPERUSER, admin_site
from harness.server import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
PASSWORD = SUPERUSER[1]
# English the two-factor pages would show untranslated.
DENY = re.compile(
    r"\b(?:Sign in|Sign out|Password|Two-factor|Set up|Verify|Confirm|Code|"
    r"Recovery|authenticator app|Dashboard)\b"
)
SCREENSHOTS = ROOT / "reader" / "screenshots"

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Debian's chromium"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-factor-site")
    with admin_site(folder, settings={"REQUIRE_2FA": "1"}) as served:
        yield served.url


@pytest.fixture
def new_browser(browser, site):
    """A fresh English browser (own cookies) each call."""
    contexts = []

    def new_browser():
        context = browser.new_context(
            base_url=site,
            locale="en-US",
            extra_http_headers=ENGLISH,
            viewport={"width": 1280, "height": 900},
        )
        contexts.append(context)
        return context.new_page()

    yield new_browser
    for context in contexts:
        context.close()


def sign_in_with_password(page, username, password):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def authenticator_code(secret: str, *, steps_ahead: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key, drift=steps_ahead).token():06d}"


def english(page) -> list[str]:
    return sorted(set(DENY.findall(page.inner_text("body"))))


def test_enrol_then_sign_in_with_a_code_and_with_a_recovery_code(new_browser):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_browser()
    sign_in_with_password(page, "quantri", PASSWORD)
    # The first sign-in lands on the setup page, and nothing else opens.
    assert "/admin/2fa/setup/" in page.url
    expect(page.locator("h1")).to_have_text("Thiết lập xác thực hai lớp")
    expect(page.locator("[data-testid=qr-code] svg")).to_be_visible()
    assert english(page) == []
    page.screenshot(path=str(SCREENSHOTS / "admin-2fa-setup.png"))
    page.goto("/admin/pages/")
    assert "/admin/2fa/setup/" in page.url

    secret = page.inner_text("[data-testid=secret]").strip()
    page.fill("#id_token", "000000")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".error-message")).to_contain_text("Mã này không đúng")
    page.fill("#id_token", authenticator_code(secret))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator("h1")).to_contain_text("Mã khôi phục")
    codes = [
        c.strip()
        for c in page.locator("[data-testid=recovery-codes] code").all_inner_texts()
    ]
    assert len(codes) == 10
    assert english(page) == []
    page.screenshot(path=str(SCREENSHOTS / "admin-2fa-codes.png"))
    page.get_by_role("link", name="Tôi đã cất giữ: về bảng điều khiển").click()
    page.wait_for_url("**/admin/")

    # Another browser: the password, then a code from the app.
    page = new_browser()
    sign_in_with_password(page, "quantri", PASSWORD)
    assert "/admin/2fa/verify/" in page.url
    expect(page.locator("h1")).to_have_text("Xác thực hai lớp")
    assert english(page) == []
    page.screenshot(path=str(SCREENSHOTS / "admin-2fa-verify.png"))
    # (the code after the one used to set up: each code signs in once)
    page.fill("#id_token", authenticator_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Xác minh").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/pages/")
    assert page.url.endswith("/admin/pages/")

    # And another: a recovery code instead of the phone.
    page = new_browser()
    sign_in_with_password(page, "quantri", PASSWORD)
    page.fill("#id_token", codes[0])
    page.get_by_role("button", name="Xác minh").click()
    page.wait_for_url("**/admin/")

    # The audit report shows those sign-ins, with their address.
    page.goto("/admin/reports/audit/")
    expect(page.locator("h1")).to_contain_text("Nhật ký kiểm toán")
    body = page.inner_text("main")
    assert "Đã đăng nhập bằng mật khẩu" in body
    assert "Mã xác thực hai lớp đúng" in body and "127.0.0.1" in body
    page.screenshot(path=str(SCREENSHOTS / "admin-audit-log.png"), full_page=True)


def test_a_reporter_without_a_second_factor_reaches_only_setup(new_browser):
    page = new_browser()
    sign_in_with_password(page, "phongvien", "phongvien")
    assert "/admin/2fa/setup/" in page.url
    for path in ("/admin/", "/admin/images/", "/admin/articles/"):
        page.goto(path)
        assert "/admin/2fa/setup/" in page.url, path
    # Signing out is always there.
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/admin/login/**")
