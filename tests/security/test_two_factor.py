"""Two-factor sign-in through the real admin sign-in (Django's test client):
set up by QR code with a code from the secret shown, recovery codes, and
REQUIRE_2FA keeping an unverified user to the two-factor pages."""

import base64
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/admin/login/"
PASSWORD = "pass-word-123"


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True


def sign_in(client, username="editor", next_url="/admin/"):
    client.logout()
    response = client.post(
        LOGIN,
        {"username": username, "password": PASSWORD, "next": next_url},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"])


def code(secret: str, *, steps_ahead: int = 0) -> str:
    """The authenticator app's code for a base32 secret, as django-otp makes it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=steps_ahead)
    return f"{totp.token():06d}"


def enrol(client) -> tuple[str, list[str]]:
    """Set up from the setup page as a user would: the secret under the QR
    code, a code from it; the recovery codes shown."""
    page = client.get("/admin/2fa/setup/")
    html = page.content.decode()
    secret = re.search(r'data-testid="secret">([A-Z2-7]+)<', html).group(1)
    done = client.post("/admin/2fa/setup/", {"token": code(secret)}, follow=True)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    return secret, codes


def test_a_user_without_a_second_factor_reaches_only_the_setup_page(
    client, editor, required
):
    page = sign_in(client)
    assert page.status_code == 302
    assert page["Location"].startswith("/admin/2fa/setup/")
    for path in ("/admin/", "/admin/pages/", "/admin/users/", "/admin/2fa/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/2fa/setup/"), path
    # What the setup page itself loads: its icons and translations.
    assert client.get("/admin/sprite/").status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
    # A form post elsewhere is turned back too, without doing anything.
    new_user = {"username": "x", "password1": "p-123456789", "password2": "p-123456789"}
    assert client.post("/admin/users/new/", new_user).status_code == 302
    assert not type(editor).objects.filter(username="x").exists()
    setup = client.get("/admin/2fa/setup/", HTTP_ACCEPT_LANGUAGE="en-US")
    html = setup.content.decode()
    assert setup.status_code == 200
    assert "Thiết lập xác thực hai lớp" in html
    assert "<svg" in html and "Set up" not in html
    # Signing out stays possible.
    assert client.post("/admin/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_setting_up_with_a_code_from_the_secret_then_signing_in_again(
    client, editor, required
):
    sign_in(client)
    page = client.get("/admin/2fa/setup/")
    assert b"<svg" in page.content  # the QR code, drawn here
    assert TOTPDevice.objects.count() == 0  # nothing saved before the code
    wrong = client.post("/admin/2fa/setup/", {"token": "000000"})
    assert wrong.status_code == 200
    assert "Mã này không đúng" in wrong.content.decode()
    assert TOTPDevice.objects.count() == 0

    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200

    # The next sign-in asks for a code, and keeps where the user was going.
    page = sign_in(client, next_url="/admin/pages/")
    assert page["Location"].startswith("/admin/2fa/verify/")
    assert client.get("/admin/").status_code == 302
    verify = client.get(page["Location"])
    assert "Xác thực hai lớp" in verify.content.decode()
    passed = client.post(page["Location"], {"token": code(secret, steps_ahead=1)})
    assert passed.status_code == 302 and passed["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_recovery_code_signs_in_once(client, editor, required):
    sign_in(client)
    _, codes = enrol(client)
    sign_in(client)
    # Typed as it looks on paper: upper case, spaces.
    spaced = f"{codes[0][:4]} {codes[0][4:]}".upper()
    assert client.post("/admin/2fa/verify/", {"token": spaced}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.count() == 9

    sign_in(client)
    refused = client.post("/admin/2fa/verify/", {"token": codes[0]})
    assert refused.status_code == 200
    assert "Mã này không đúng" in refused.content.decode()
    assert client.get("/admin/").status_code == 302


def test_wrong_codes_make_the_user_wait(client, editor, required):
    sign_in(client)
    secret, _ = enrol(client)
    sign_in(client)
    client.post("/admin/2fa/verify/", {"token": "123456"})
    # The right code right after a wrong one: wait (django-otp's throttle).
    waited = client.post("/admin/2fa/verify/", {"token": code(secret, steps_ahead=1)})
    assert "Nhập sai quá nhiều lần" in waited.content.decode()
    assert client.get("/admin/").status_code == 302
    TOTPDevice.objects.update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1)
    )
    passed = client.post("/admin/2fa/verify/", {"token": code(secret, steps_ahead=1)})
    assert passed.status_code == 302


def test_not_required_a_user_without_a_device_signs_in_with_the_password(
    client, editor, settings
):
    settings.REQUIRE_2FA = False
    assert sign_in(client).status_code == 200
    # One who set it up is still asked for a code.
    enrol(client)
    page = sign_in(client)
    assert page["Location"].startswith("/admin/2fa/verify/")


def test_an_unsafe_next_goes_to_the_dashboard(client, editor, required):
    sign_in(client)
    _, codes = enrol(client)
    sign_in(client)
    response = client.post(
        "/admin/2fa/verify/?next=https://evil.example/",
        {"token": codes[1], "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"


def test_new_recovery_codes_replace_the_old(client, editor, required):
    sign_in(client)
    _, old = enrol(client)
    manage = client.get("/admin/2fa/")
    assert "10 mã khôi phục" in manage.content.decode()
    new = client.post("/admin/2fa/new-codes/", follow=True)
    fresh = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", new.content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(old)
    sign_in(client)
    assert client.post("/admin/2fa/verify/", {"token": old[0]}).status_code == 200
    # (past the wait a wrong code costs)
    StaticDevice.objects.update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1)
    )
    assert client.post("/admin/2fa/verify/", {"token": fresh[0]}).status_code == 302


def test_reset_2fa_sends_the_user_back_to_setup(client, editor, required, capsys):
    sign_in(client)
    enrol(client)
    call_command("reset_2fa", "editor")
    assert "2 device(s) removed" in capsys.readouterr().out
    page = sign_in(client)
    assert page["Location"].startswith("/admin/2fa/setup/")
