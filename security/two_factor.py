"""Two-factor sign-in with django-otp: a TOTP device (an authenticator app)
and a set of recovery codes (a static device) per user.

Setting up keeps the new secret in the session until the user proves, with a
code from the app, that they hold it: only then are the device and the
recovery codes saved, together. A sign-in is verified by django-otp
(``django_otp.login``); ``security.middleware`` lets an unverified user reach
only these pages.
"""

import math
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from urllib.parse import quote

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from security import actions, audit

PENDING_KEY = "security.two_factor.pending_key"
RECOVERY_CODE_COUNT = 10
#: Codes from the step before and after the current one are accepted
#: (clocks of phones drift), as django-otp's TOTP devices do by default.
TOLERANCE = 1


def is_required() -> bool:
    return settings.REQUIRE_2FA


def has_second_factor(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def pending_key(request: HttpRequest) -> str:
    """The secret being set up in this session (made on first call)."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = random_hex(20)
    return key


def _totp(key: str) -> TOTP:
    return TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6)


def setup_uri(*, key: str, username: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    issuer = settings.WAGTAIL_SITE_NAME
    return (
        f"otpauth://totp/{quote(issuer)}:{quote(username)}"
        f"?secret={base32_secret(key)}&algorithm=SHA1&digits=6&period=30"
        f"&issuer={quote(issuer)}"
    )


def base32_secret(key: str) -> str:
    """The secret as an app asks for it when typed in instead of scanned."""
    return b32encode(unhexlify(key.encode())).decode().rstrip("=")


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG (segno: no image files, no
    service elsewhere)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2)


def _clean(token: str) -> str:
    return "".join(token.split()).lower()


def confirm_setup(*, request: HttpRequest, token: str) -> list[str] | None:
    """Save the pending secret as the user's authenticator if ``token`` is its
    current code, with new recovery codes (returned); None if the code is
    wrong. The session is then verified with the new device."""
    key = request.session.get(PENDING_KEY)
    token = _clean(token)
    if not key or not token.isdigit():
        return None
    totp = _totp(key)
    if not totp.verify(int(token), tolerance=TOLERANCE):
        return None
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", key=key, confirmed=True, last_t=totp.t()
        )
        codes = _new_recovery_codes(user)
        audit.record(actions.SECOND_FACTOR_ENROLLED, request=request, obj=user)
    del request.session[PENDING_KEY]
    django_otp.login(request, device)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def new_recovery_codes(*, request: HttpRequest) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working)."""
    with transaction.atomic():
        codes = _new_recovery_codes(request.user)
        audit.record(actions.RECOVERY_CODES_CREATED, request=request, obj=request.user)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class Verification:
    ok: bool
    #: Seconds to wait before the next try (after wrong codes), else None.
    wait: int | None = None


def verify(*, request: HttpRequest, token: str) -> Verification:
    """Verify this session with a code from the app (six digits) or a
    recovery code (used up). Only the device the code is for is tried, so a
    wrong code throttles that one (django-otp doubles the wait after each)."""
    token = _clean(token)
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        device = (
            kind.objects.devices_for_user(request.user, confirmed=True)
            .select_for_update()
            .first()
        )
        allowed, throttled = device.verify_is_allowed() if device else (True, None)
        verified = allowed and device is not None and device.verify_token(token)
    if not verified:
        audit.record(actions.SECOND_FACTOR_FAILED, request=request, obj=request.user)
        if not allowed and (throttled or {}).get("locked_until"):
            left = (throttled["locked_until"] - timezone.now()).total_seconds()
            return Verification(ok=False, wait=max(1, math.ceil(left)))
        return Verification(ok=False)
    django_otp.login(request, device)
    method = "recovery_code" if kind is StaticDevice else "authenticator"
    audit.record(
        actions.SECOND_FACTOR_PASSED,
        request=request,
        obj=request.user,
        data={"method": method},
    )
    return Verification(ok=True)


def reset(*, user, actor=None) -> int:
    """Remove every second factor of ``user`` (a lost phone, by an
    administrator): they set up a new one at their next sign-in. The number
    of devices removed."""
    with transaction.atomic():
        removed = 0
        for device in django_otp.devices_for_user(user, confirmed=None):
            device.delete()
            removed += 1
        audit.record(actions.SECOND_FACTOR_RESET, user=actor, obj=user)
    return removed
