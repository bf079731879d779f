"""HTTP caching of API answers: ``ETag``, ``Last-Modified``, ``Cache-Control``
and 304 answers (``If-None-Match``, else ``If-Modified-Since``).

The tag is a hash of the response body, so it changes exactly when what a reader
would see changes (an article published, edited or unpublished, a count moved),
whatever caused it.

The view may set the tag itself (a cached answer carries its own, see
``api.response_cache``); the body is then not hashed again. ``Last-Modified``
is when the answer's bytes were built: a kept answer carries its own time,
any other is built now.

Only reads are shared: a POST (counting a view or a visit) is answered with
``Cache-Control: no-store``, and so is any response that sets a cookie (the
``nd_visitor`` cookie names one reader; a CDN storing it would hand it to all).

Every shared answer carries the surrogate key ``api.purge.CONTENT_KEY`` (an
``xkey`` header, which the cache tier reads and removes): a content change
purges them all there, whichever endpoint made them.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from api.purge import CONTENT_KEY, KEY_HEADER


class ApiCacheHeadersMiddleware:
    """Under /api/: successful GET/HEAD get an ETag, public max-age and 304s;
    other methods and anything setting a cookie are never stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.has_header("Cache-Control"):
            return response
        if request.method not in ("GET", "HEAD") or response.cookies:
            patch_cache_control(response, no_store=True)
            return response
        if response.status_code == 200 and not response.streaming:
            patch_cache_control(
                response, public=True, max_age=settings.API_CACHE_MAX_AGE
            )
            patch_vary_headers(response, ["Accept"])
            response[KEY_HEADER] = CONTENT_KEY
            if not response.has_header("ETag"):
                set_response_etag(response)
            if not response.has_header("Last-Modified"):
                # Built just now (a kept answer says when it was built).
                response["Last-Modified"] = http_date()
            return get_conditional_response(
                request,
                etag=response["ETag"],
                last_modified=parse_http_date_safe(response["Last-Modified"]),
                response=response,
            )
        return response


class ApiGZipMiddleware(GZipMiddleware):
    """Django's gzip, for /api/ only: mobile readers get lists at a third of
    their size. API answers hold no secret a BREACH attack could guess (the
    admin's pages hold CSRF tokens, so they are left alone). Answers served
    from ``api.response_cache`` come compressed already and are left as they
    are."""

    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)
