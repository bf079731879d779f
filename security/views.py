"""The two-factor pages of the admin: set up (QR code), verify at sign-in
(a code from the app or a recovery code), and, once verified, the user's own
page (new recovery codes). The logic is in ``security.two_factor``."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from security import two_factor

RECOVERY_CODES_SESSION_KEY = "security.two_factor.new_codes"


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def setup(request):
    user = request.user
    if two_factor.has_second_factor(user) and not user.is_verified():
        # Replacing a device takes the old one's code first.
        return redirect(reverse("security_2fa_verify") + "?next=" + request.path)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_setup(
            request=request, token=form.cleaned_data["token"]
        )
        if codes is not None:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect("security_2fa_codes")
        form.add_error("token", gettext("This code is not right. Try the next one."))
    key = two_factor.pending_key(request)
    uri = two_factor.setup_uri(key=key, username=user.get_username())
    return TemplateResponse(
        request,
        "security/setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(uri),
            "secret": two_factor.base32_secret(key),
            "required": two_factor.is_required(),
            "title": gettext("Set up two-factor authentication"),
            "next": _next(request),
        },
    )


def verify(request):
    if not two_factor.has_second_factor(request.user):
        return redirect("security_2fa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = two_factor.verify(request=request, token=form.cleaned_data["token"])
        if result.ok:
            return redirect(_next(request))
        if result.wait:
            form.add_error(
                "token",
                ngettext(
                    "Too many wrong codes: wait %(seconds)s second and try again.",
                    "Too many wrong codes: wait %(seconds)s seconds and try again.",
                    result.wait,
                )
                % {"seconds": result.wait},
            )
        else:
            form.add_error("token", gettext("This code is not right."))
    return TemplateResponse(
        request,
        "security/verify.html",
        {
            "form": form,
            "next": _next(request),
            "title": gettext("Two-factor authentication"),
        },
    )


def codes(request):
    """The recovery codes just made, shown once."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes or not request.user.is_verified():
        return redirect("security_2fa_manage")
    return TemplateResponse(request, "security/codes.html", {"codes": codes})


def manage(request):
    if not request.user.is_verified():
        raise PermissionDenied
    return TemplateResponse(
        request,
        "security/manage.html",
        {
            "codes_left": two_factor.recovery_codes_left(request.user),
            "header_icon": "key",
        },
    )


@require_POST
def new_codes(request):
    if not request.user.is_verified():
        raise PermissionDenied
    request.session[RECOVERY_CODES_SESSION_KEY] = two_factor.new_recovery_codes(
        request=request
    )
    return redirect("security_2fa_codes")
