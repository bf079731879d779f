"""The reader site at ``/``: the page routes of this server (docs/reader.md).

newsdesk is headless: readers see the reader single-page app (``reader/site/``),
which shows only what the JSON API answers. Wagtail's own page views would be a
second frontend with its own, looser idea of what is visible, so they are not
mounted. Every path that is not the admin, the API, media, static files or a
probe is a reader route:

- with ``SERVE_READER`` on, it answers the app's ``index.html`` (the app's
  other files are served by WhiteNoise from ``WHITENOISE_ROOT``); the shell
  holds no content, the app fetches it from the API;
- with it off (the reader lives elsewhere), it redirects to the same path and
  query under ``FRONTEND_BASE_URL``, or is a 404 without one.

The route keeps Wagtail's name ``wagtail_serve``: a page's URL (the API's
``url`` fields, "View live") is reversed from it.
"""

import logging

from django.conf import settings
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
)
from django.middleware.gzip import GZipMiddleware
from django.urls import re_path
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe
from wagtail.contrib.redirects.middleware import RedirectMiddleware

from cms.unavailable import DATABASE_UNAVAILABLE

logger = logging.getLogger(__name__)

#: First path segments that belong to the server, never to the reader.
SERVER_PREFIXES = (
    "admin",
    "api",
    "media",
    "static",
    "documents",
    "healthz",
    "readyz",
)

#: The reader's preview route (the path of ``FRONTEND_PREVIEW_URL`` under
#: ``make run``): the admin's preview panel frames it.
PREVIEW_PATH = "preview"

_NOT_SERVER = "|".join(SERVER_PREFIXES)


def _index_html() -> bytes:
    return (settings.READER_ROOT / "index.html").read_bytes()


_redirects = RedirectMiddleware(lambda request: None)


def _editors_redirect(request) -> HttpResponse | None:
    """The redirect editors set for this path in the admin (Wagtail's redirects
    app), if any: its middleware looks only at 404 answers, and every reader
    route answers. None while the database does not answer: the shell needs
    no database (the app then shows what the API answers, its 503 included)."""
    try:
        answer = _redirects.process_response(request, HttpResponseNotFound())
    except DATABASE_UNAVAILABLE as error:
        logger.warning("Reader: editors' redirects not read (%s)", error)
        return None
    return answer if answer.status_code in (301, 302) else None


@require_safe
def reader_page(request, path: str = ""):
    """The reader's shell for one of its routes (or a redirect to the reader)."""
    if redirect := _editors_redirect(request):
        return redirect
    if not settings.SERVE_READER:
        if not settings.FRONTEND_BASE_URL:
            raise Http404("No reader site is configured.")
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(
            settings.FRONTEND_BASE_URL + "/" + path + ("?" + query if query else "")
        )
    response = HttpResponse(_index_html(), content_type="text/html; charset=utf-8")
    # The shell changes with a deploy: revalidate each time (it is 2 KB).
    patch_cache_control(response, no_cache=True)
    return response


@xframe_options_sameorigin
def reader_preview(request):
    """The preview route: framed by the admin's preview panel, never cached or
    indexed, and its token never sent on as a referrer (docs/preview.md)."""
    response = reader_page(request, PREVIEW_PATH)
    if settings.SERVE_READER:
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns = [
    re_path(rf"^{PREVIEW_PATH}/?$", reader_preview, name="reader-preview"),
    # Wagtail's pattern and name: Page.get_url_parts reverses "wagtail_serve".
    re_path(
        rf"^(?!(?:{_NOT_SERVER})(?:/|$))((?:[\w\-]+/)*)$",
        reader_page,
        name="wagtail_serve",
    ),
    # Any other path the reader may route (tags with spaces, unknown URLs: the
    # app shows its 404 page).
    re_path(rf"^(?!(?:{_NOT_SERVER})(?:/|$))(.*)$", reader_page),
]


class ReaderGZipMiddleware(GZipMiddleware):
    """Django's gzip for the reader's files and shell (they hold no secret a
    BREACH attack could guess); the admin, API and media are left to their own
    handling."""

    def process_response(self, request, response):
        first = request.path.lstrip("/").split("/", 1)[0]
        if not settings.SERVE_READER or first in SERVER_PREFIXES:
            return response
        return super().process_response(request, response)
