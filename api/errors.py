"""RFC 9457 problem details for every error under /api/.

``exception_handler`` is DRF's ``EXCEPTION_HANDLER``: it keeps DRF's status and
headers (``Allow``, ``Retry-After``, ...) and reshapes the body into
``{"type", "title", "status", "detail", "errors"?}`` served as
``application/problem+json``; an unexpected error is a logged 500 in the same
shape (unless ``DEBUG``), and a database that cannot be reached (refused
connection, lock or statement timeout: Django's ``OperationalError``) a 503
with ``Retry-After``. ``not_found`` answers unknown /api/ paths the same way.

What fails outside a view (a middleware reading the cache table while the
database is down, a host Django refuses, a body too large) reaches Django's
error handlers instead: ``cms.urls`` names the ``handler*`` functions below,
which answer problem details under /api/ and Django's own pages elsewhere.
"""

import logging
import sys
from http import HTTPStatus

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.views import defaults
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api.renderers import JSONRenderer
from cms.unavailable import (
    DATABASE_UNAVAILABLE,
    RETRY_AFTER,
    database_unavailable_page,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"
#: Seconds a client is asked to wait when the database cannot be reached: long
#: enough for a restart or failover not to be hammered, short for a reader.
#: Seconds a client is asked to wait when the database cannot be reached
#: (cms.unavailable's DATABASE_UNAVAILABLE; other database errors are bugs,
#: answered 500).
DATABASE_RETRY_AFTER = RETRY_AFTER
_request_logger = logging.getLogger("django.request")
logger = logging.getLogger(__name__)


def problem_body(*, status_code: int, detail: str, errors: dict | None = None) -> dict:
    """RFC 9457 problem details; ``errors`` maps a parameter to its messages."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    *,
    status_code: int,
    detail: str,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """A problem+json response (DRF's) for a view to return."""
    body = problem_body(status_code=status_code, detail=detail, errors=errors)
    return Response(
        body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


def exception_handler(exc, context):
    """DRF's handler, with the body rewritten as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return _database_unavailable(exc, context["request"])
    response = drf_exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's technical 500 page, for the developer
        return _server_error(exc, context["request"])
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _as_field_errors(response.data)
        names = ", ".join(errors)
        detail = f"Invalid value for {names}." if names else "Invalid request."
    else:
        detail = str(exc.detail) if hasattr(exc, "detail") else str(exc)
        if parameter := getattr(exc, "parameter", None):
            errors = {parameter: [detail]}
    problem = problem_response(
        status_code=response.status_code, detail=detail, errors=errors
    )
    for name, value in response.items():
        if name.lower() != "content-type":
            problem[name] = value
    return problem


def _server_error(exc: Exception, request) -> Response:
    """A 500 as problem details, logged as Django logs its own 500s (so that
    error reporting sees it); the body says nothing of the cause."""
    _request_logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request._request},
    )
    return problem_response(
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        detail=_FAILED_DETAIL,
    )


def _database_unavailable(exc: Exception, request) -> Response:
    """503 with ``Retry-After``: the request was fine, the database is not."""
    logger.warning("Database unavailable for %s: %s", request.path, exc)
    return problem_response(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        detail=_UNAVAILABLE_DETAIL,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
    )


_FAILED_DETAIL = "The server failed to answer; the error has been logged."
_UNAVAILABLE_DETAIL = "The service is unavailable for a moment; try again later."


def _as_field_errors(data) -> dict[str, list[str]]:
    if isinstance(data, dict):
        return {
            str(name): [str(message) for message in _flatten(messages)]
            for name, messages in data.items()
        }
    return {"non_field_errors": [str(message) for message in _flatten(data)]}


def _flatten(messages):
    if isinstance(messages, dict):
        for value in messages.values():
            yield from _flatten(value)
    elif isinstance(messages, list | tuple):
        for value in messages:
            yield from _flatten(value)
    else:
        yield messages


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@permission_classes([AllowAny])
@renderer_classes([JSONRenderer])
def not_found(request, *args, **kwargs):
    """Any /api/ path no endpoint answers; a read missing its trailing slash is
    redirected to the endpoint (docs/api.md: "trailing slashes as shown")."""
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        match = _resolve(request.path + "/")
        if match is not None and match.func is not not_found:
            location = request.path + "/"
            if query := request.META.get("QUERY_STRING"):
                location += f"?{query}"
            return HttpResponsePermanentRedirect(location)
    return problem_response(
        status_code=status.HTTP_404_NOT_FOUND,
        detail=f"No endpoint at {request.path}.",
    )


def _resolve(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


# --- Django's error handlers (cms.urls), for what fails outside a view -------


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _plain_problem(
    status_code: int, detail: str, headers: dict | None = None
) -> HttpResponse:
    """A problem+json answer without DRF (no content negotiation here)."""
    body = orjson.dumps(problem_body(status_code=status_code, detail=detail))
    return HttpResponse(
        body,
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def handler400(request, exception=None):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    return _plain_problem(400, "The request could not be understood.")


def handler403(request, exception=None):
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return _plain_problem(403, "Not allowed.")


def handler404(request, exception=None):
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return _plain_problem(404, f"No endpoint at {request.path}.")


def handler500(request):
    """Django has logged the error already (``django.request``)."""
    if not _is_api(request):
        if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
            return database_unavailable_page()
        return defaults.server_error(request)
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return _plain_problem(
            503,
            _UNAVAILABLE_DETAIL,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    return _plain_problem(500, _FAILED_DETAIL)
