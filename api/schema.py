"""OpenAPI generation: only the public API, not the Wagtail admin's own API."""


def public_api_only(endpoints):
    """drf-spectacular preprocessing hook: keep the /api/v1/ endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
