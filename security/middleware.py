"""Two middleware of the security app.

``RequireSecondFactorMiddleware`` (after django-otp's ``OTPMiddleware``): in
the admin, a signed-in user whose session has no verified second factor
reaches only the two-factor pages and sign-out. A user who has set one up is
always asked for a code; one who has not is sent to set it up when
``REQUIRE_2FA`` is on, else left alone.

``RequestAddressMiddleware``: the request's client address for security log
entries written where no request is at hand (``security.audit``).
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from counters.visitors import client_address
from security import audit, two_factor

#: What an unverified user may still open in the admin (the pages' icons and
#: translations included: the icon script puts whatever /admin/sprite/
#: answers into every page).
ALLOWED_URL_NAMES = {
    "wagtailadmin_sprite",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "security_2fa_verify",
    "security_2fa_setup",
    "wagtailadmin_javascript_catalog",
}


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # The path first: other requests (the API) never load the session.
        if (
            request.path.startswith(reverse("wagtailadmin_home"))
            and user.is_authenticated
            and not user.is_verified()
            and _url_name(request.path_info) not in ALLOWED_URL_NAMES
        ):
            if two_factor.has_second_factor(user):
                return _redirect("security_2fa_verify", request)
            if two_factor.is_required():
                return _redirect("security_2fa_setup", request)
        return self.get_response(request)


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def _redirect(name: str, request):
    target = reverse(name)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)


class RequestAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.current_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            audit.current_address.reset(token)
