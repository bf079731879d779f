"""Where readers see pages: the frontend's URLs for "View live" and "Preview".

newsdesk is headless: readers never see Wagtail's templates, so with
``FRONTEND_BASE_URL`` set a page's ``url`` and ``full_url`` (what the admin's
"View live" links, the live status tag and notification e-mails use) point at
the frontend. ``get_url_parts`` is left alone: the API's ``url`` field and
rich-text links are the site path from it, for frontend routing.
"""

from urllib.parse import quote

from django.conf import settings

#: The placeholder ``FRONTEND_PREVIEW_URL`` must contain.
TOKEN_PLACEHOLDER = "{token}"


def frontend_url(path: str) -> str | None:
    """``path`` on the frontend, or None when ``FRONTEND_BASE_URL`` is unset."""
    base = settings.FRONTEND_BASE_URL
    if not base:
        return None
    return base.rstrip("/") + path


def public_url(path: str, *, request) -> str:
    """The absolute URL readers open for the site path ``path``: on the
    frontend, else on the host ``request`` named (feeds and sitemaps)."""
    return frontend_url(path) or request.build_absolute_uri(path)


def frontend_preview_url(token: str) -> str | None:
    """The frontend's preview route for ``token`` (None when not configured)."""
    template = settings.FRONTEND_PREVIEW_URL
    if not template:
        return None
    # str.replace, not str.format: other braces in the URL stay as they are.
    return template.replace(TOKEN_PLACEHOLDER, quote(token, safe=""))


class FrontendUrlMixin:
    """For page models the frontend shows: ``url``/``full_url`` on the frontend.

    Put it before ``Page`` in the bases. Wagtail's ``url`` and ``full_url`` are
    properties bound to ``Page``'s own methods, so they are redefined here.
    """

    def get_url(self, request=None, current_site=None):
        path = _site_path(self, request)
        if path is not None and (url := frontend_url(path)):
            return url
        return super().get_url(request=request, current_site=current_site)

    def get_full_url(self, request=None):
        path = _site_path(self, request)
        if path is not None and (url := frontend_url(path)):
            return url
        return super().get_full_url(request=request)

    url = property(get_url)
    full_url = property(get_full_url)


def _site_path(page, request) -> str | None:
    if not settings.FRONTEND_BASE_URL:
        return None
    parts = page.get_url_parts(request=request)
    return parts[2] if parts else None
