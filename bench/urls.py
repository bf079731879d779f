"""The project's URLs plus ``POST /bench/noop/``: a bare Django view, the floor
that counting is measured against (same middleware, no work)."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def noop(request):
    return HttpResponse(b"{}", content_type="application/json")


urlpatterns = [
    path("bench/noop/", noop),
    path("", include("cms.urls")),
]
