"""Admin sign-in: a username is locked at an address after repeated failures
(django-axes), with a Vietnamese page saying so; addresses behind a trusted
proxy come from X-Forwarded-For, anyone else's X-Forwarded-For is ignored."""

import pytest
from django.test import override_settings

LOGIN = "/admin/login/"
LIMIT = 5


@pytest.fixture
def sign_in(client, editor):
    def attempt(password: str, address: str = "203.0.113.7", **headers):
        client.cookies.clear()  # a fresh browser each time: only the address counts
        return client.post(
            LOGIN,
            {"username": "editor", "password": password},
            REMOTE_ADDR=address,
            HTTP_ACCEPT_LANGUAGE="vi",
            **headers,
        )

    return attempt


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_the_right_password_signs_in(sign_in):
    assert signed_in(sign_in("pass-word-123"))


def test_a_username_is_locked_at_an_address_after_repeated_failures(sign_in):
    for _ in range(LIMIT - 1):
        response = sign_in("wrong")
        assert response.status_code == 200  # the form, with its error
        assert response.context["form"].errors
    locked = sign_in("wrong")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Đăng nhập" in page and "15 phút" in page
    assert int(locked["Retry-After"]) == 15 * 60
    # Even the right password is refused while locked.
    assert sign_in("pass-word-123").status_code == 429
    assert not signed_in(sign_in("pass-word-123"))
    # The same editor from another address is not locked out.
    assert signed_in(sign_in("pass-word-123", address="198.51.100.9"))


def test_a_success_resets_the_count(sign_in):
    for _ in range(LIMIT - 1):
        sign_in("wrong")
    assert signed_in(sign_in("pass-word-123"))
    for _ in range(LIMIT - 1):
        sign_in("wrong")
    assert signed_in(sign_in("pass-word-123"))


def test_x_forwarded_for_from_an_untrusted_address_changes_nothing(sign_in):
    # An attacker rotating the header is still one address.
    for n in range(LIMIT):
        sign_in("wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in("pass-word-123", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == (
        429
    )


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(sign_in):
    proxy = "10.0.0.1"
    for _ in range(LIMIT):
        sign_in("wrong", address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")
    locked = sign_in("pass-word-123", address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert locked.status_code == 429
    # Another client through the same proxy is not locked out.
    other = sign_in("pass-word-123", address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert signed_in(other)
