"""RFC 9457 problem details for every error under /api/.

``exception_handler`` is DRF's ``EXCEPTION_HANDLER``: it keeps DRF's status and
headers (``Allow``, ``Retry-After``, ...) and reshapes the body into
``{"type", "title", "status", "detail", "errors"?}`` served as
``application/problem+json``; an unexpected error is a logged 500 in the same
shape (unless ``DEBUG``). ``not_found`` answers unknown /api/ paths the same
way.
"""

import logging
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api.renderers import JSONRenderer

PROBLEM_CONTENT_TYPE = "application/problem+json"
_request_logger = logging.getLogger("django.request")


def problem_response(
    *,
    status_code: int,
    detail: str,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """A problem+json response; ``errors`` maps a parameter to its messages."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return Response(
        body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


def exception_handler(exc, context):
    """DRF's handler, with the body rewritten as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
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
        detail="The server failed to answer; the error has been logged.",
    )


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
