"""OpenAPI generation: only the public API, not the Wagtail admin's own API;
the problem+json response every endpoint documents for its errors, the
errors any endpoint can answer whatever its parameters (405, 406, 503), the
caching headers and 304 of every read (``Link`` too on paged lists), and the
body of a webhook (``WebhookEvent``: OpenAPI 3.0 has no webhooks section, so
it is a component for typed clients to verify and read webhooks with)."""

import copy

from drf_spectacular.utils import OpenApiResponse

from api.errors import DATABASE_RETRY_AFTER
from api.errors import PROBLEM_CONTENT_TYPE as PROBLEM_TYPE
from api.serializers import ProblemSerializer
from articles.changes import EVENTS

PROBLEM = OpenApiResponse(ProblemSerializer, description="Problem details (RFC 9457).")

PAGE_OR_CATEGORY_NOT_FOUND = OpenApiResponse(
    ProblemSerializer,
    description="An unknown `category`, or a `page` past the last one "
    "(`errors` then names `page`).",
)

__all__ = [
    "PAGE_OR_CATEGORY_NOT_FOUND",
    "PROBLEM",
    "PROBLEM_TYPE",
    "add_common_errors",
    "add_webhook_event",
    "public_api_only",
    "sparse_fieldsets",
]

_PROBLEM_CONTENT = {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
COMMON_ERRORS = {
    "405": {
        "description": "Another method than those listed in `Allow`.",
        "headers": {
            "Allow": {
                "schema": {"type": "string"},
                "description": "The methods the path answers.",
            }
        },
    },
    "406": {
        "description": "`Accept` names no type the API serves (it serves "
        "`application/json`).",
    },
    "503": {
        "description": "The database cannot be reached for a moment; nothing "
        "was counted or changed. Try again after `Retry-After` seconds.",
        "headers": {
            "Retry-After": {
                "schema": {"type": "integer", "example": DATABASE_RETRY_AFTER},
                "required": True,
                "description": "Seconds to wait before trying again.",
            }
        },
    },
}


#: What every successful read says of its caching (``api.caching``).
READ_HEADERS = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "A hash of the body; send it back in `If-None-Match`.",
    },
    "Last-Modified": {
        "schema": {"type": "string"},
        "description": "When these bytes were built (HTTP date); send it back "
        "in `If-Modified-Since`.",
    },
    "Cache-Control": {"schema": {"type": "string", "example": "public, max-age=60"}},
}
LINK_HEADER = {
    "Link": {
        "schema": {"type": "string"},
        "description": 'RFC 8288 links to the pages: `<URL>; rel="next"`, '
        '`rel="prev"`, `rel="first"`, `rel="last"` (next and prev only where '
        "there is one).",
    }
}
NOT_MODIFIED = {
    "description": "Not modified: the `ETag` in `If-None-Match` (or, without "
    "it, the `Last-Modified` in `If-Modified-Since`) is still current. No body.",
}
#: Operations answering a page of a list.
PAGED = frozenset(("articles_list",))
#: The component of the article list's page (drf-spectacular's name).
PAGED_LIST = "PaginatedArticleSummaryList"


def sparse_fieldsets(result, generator, request, public):
    """drf-spectacular postprocessing hook: with ``fields`` the list's results
    hold only the keys named (``api.views.ArticleListView``), so each result
    is an ArticleSummary or an ArticleSummaryFields (the same keys, none
    required, no other). A full ArticleSummary is both: ``anyOf``, not
    ``oneOf``."""
    schemas = result.get("components", {}).get("schemas", {})
    summary, page = schemas.get("ArticleSummary"), schemas.get(PAGED_LIST)
    if summary is None or page is None:
        return result
    schemas["ArticleSummaryFields"] = {
        "type": "object",
        "description": "An ArticleSummary with only the keys `fields` named.",
        "properties": copy.deepcopy(summary["properties"]),
        "additionalProperties": False,
    }
    page["properties"]["results"]["items"] = {
        "anyOf": [
            {"$ref": "#/components/schemas/ArticleSummary"},
            {"$ref": "#/components/schemas/ArticleSummaryFields"},
        ]
    }
    return result


def public_api_only(endpoints):
    """drf-spectacular preprocessing hook: keep the /api/v1/ endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def add_common_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents 405, 406
    and 503 (``api.errors``) as problem details."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, response in COMMON_ERRORS.items():
                responses.setdefault(status, {**response, "content": _PROBLEM_CONTENT})
            if operation is operations.get("get") and "200" in responses:
                headers = responses["200"].setdefault("headers", {})
                headers.update(READ_HEADERS)
                if operation.get("operationId") in PAGED:
                    headers.update(LINK_HEADER)
                responses.setdefault("304", NOT_MODIFIED)
    return result


WEBHOOK_EVENT = {
    "type": "object",
    "description": "The JSON body of a webhook (Standard Webhooks; docs/api.md, "
    "Webhooks): POSTed with the headers `webhook-id` (the same on every retry), "
    "`webhook-timestamp` (Unix seconds) and `webhook-signature` "
    "(`v1,<base64 HMAC-SHA256>` with the endpoint's `whsec_` secret); verify "
    "with the `standardwebhooks` library before trusting it. `data` is the "
    "change as the change feed shows it, as it was when it happened.",
    "properties": {
        "type": {"type": "string", "enum": list(EVENTS)},
        "timestamp": {"type": "string", "format": "date-time"},
        "data": {"$ref": "#/components/schemas/Change"},
    },
    "required": ["type", "timestamp", "data"],
}


def add_webhook_event(result, generator, request, public):
    """drf-spectacular postprocessing hook: the ``WebhookEvent`` component."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "Change" in schemas:
        schemas["WebhookEvent"] = WEBHOOK_EVENT
    return result
