"""The project's URLs plus what the benchmark compares against:

- ``POST /bench/noop/``: a bare Django view doing nothing (counting's floor);
- ``GET /bench/floor/``: a bare Django view answering the bytes of our list
  (``BENCH_FLOOR_FILE``), through the same middleware;
- ``/bench/wagtail-v2/``: Wagtail's API v2, with ``NEWSDESK_WAGTAIL_API_V2=1``.
"""

import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def noop(request):
    return HttpResponse(b"{}", content_type="application/json")


@cache
def floor_body() -> bytes:
    return Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes()


def floor(request):
    return HttpResponse(floor_body(), content_type="application/json")


urlpatterns = [
    path("bench/noop/", noop),
    # Under /api/ so that the API's middleware treats it as ours.
    path("api/bench-floor/", floor),
]
if "wagtail.api.v2" in settings.INSTALLED_APPS:
    from bench.wagtail_api import router

    urlpatterns.append(path("bench/wagtail-v2/", router.urls))
urlpatterns.append(path("", include("cms.urls")))
