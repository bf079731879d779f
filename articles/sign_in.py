"""The admin's sign-in page when django-axes has locked a username at an
address (settings: ``AXES_*``): the sign-in page's look, a message saying for
how long, status 429."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes' ``AXES_LOCKOUT_CALLABLE``."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = ngettext(
        "Too many failed sign-in attempts. Signing in with this username is "
        "blocked from your address for %(minutes)s minute.",
        "Too many failed sign-in attempts. Signing in with this username is "
        "blocked from your address for %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = render(
        request,
        "articles/sign_in_locked.html",
        {"message": message, "title": _("Sign-in blocked")},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
