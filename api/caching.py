"""HTTP caching of API reads: ``ETag``, ``Cache-Control`` and 304 answers.

The tag is a hash of the response body, so it changes exactly when what a reader
would see changes (an article published, edited or unpublished, a count moved),
whatever caused it.
"""

from django.conf import settings
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)


class ApiCacheHeadersMiddleware:
    """For successful GET/HEAD under /api/: ETag, public max-age, 304."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(
                response, public=True, max_age=settings.API_CACHE_MAX_AGE
            )
            patch_vary_headers(response, ["Accept"])
            set_response_etag(response)
            return get_conditional_response(
                request, etag=response["ETag"], response=response
            )
        return response
