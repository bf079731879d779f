"""Operational endpoints of the project itself."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cms import readiness


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Nothing else is checked (a database
    outage must not get every instance restarted) and nothing else is said."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness: 503 when the database is down; 200 otherwise, saying which
    parts are degraded (``cms.readiness``)."""
    status, body = readiness.report()
    return JsonResponse(body, status=status)
