"""Content-Security-Policy by area, with django-csp.

django-csp sends ``CONTENT_SECURITY_POLICY`` (the strict policy of the
reader-facing HTML) on every answer; :class:`AreaPolicyMiddleware` swaps in the
policy of the first ``CSP_AREA_POLICIES`` prefix the path starts with (the
API's JSON, its Swagger UI, the Wagtail admin). A view's own ``csp_*``
decorators still win.

An area's policy is the same on every answer that neither a view's decorator
nor a nonce changes: it is built once per area and process (django-csp builds
it anew for each answer, deep-copying the settings: about a tenth of a millisecond).
"""

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings

# What a view's decorators set on its response: then django-csp builds it.
_PER_ANSWER = tuple(
    f"_csp_{kind}{suffix}"
    for kind in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


def _area(path: str):
    for prefix, directives in settings.CSP_AREA_POLICIES:
        if path.startswith(prefix):
            return prefix, directives
    return None, None


class AreaPolicyMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self._built: dict = {}

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        _, directives = _area(request.path_info)
        if directives is not None:
            parts.config = default_config(directives)
        return parts

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            or isinstance(getattr(request, "_csp_nonce", None), str)
            or any(hasattr(response, name) for name in _PER_ANSWER)
        ):
            return super().process_response(request, response)
        prefix, directives = _area(request.path_info)
        # Keyed by the settings objects too: a test overriding them gets its own.
        key = (
            prefix,
            id(settings.CSP_AREA_POLICIES),
            id(settings.CONTENT_SECURITY_POLICY),
        )
        policy = self._built.get(key)
        if policy is None:
            config = None if directives is None else default_config(directives)
            policy = self._built[key] = build_policy(config=config)
        if policy and HEADER not in response:
            response[HEADER] = policy
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
