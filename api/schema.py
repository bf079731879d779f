"""OpenAPI generation: only the public API, not the Wagtail admin's own API;
the problem+json response every endpoint documents for its errors."""

from drf_spectacular.utils import OpenApiResponse

from api.errors import PROBLEM_CONTENT_TYPE as PROBLEM_TYPE
from api.serializers import ProblemSerializer

PROBLEM = OpenApiResponse(ProblemSerializer, description="Problem details (RFC 9457).")

__all__ = ["PROBLEM", "PROBLEM_TYPE", "public_api_only"]


def public_api_only(endpoints):
    """drf-spectacular preprocessing hook: keep the /api/v1/ endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
