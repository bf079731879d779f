"""Content-Security-Policy by area, with django-csp.

django-csp sends ``CONTENT_SECURITY_POLICY`` (the strict policy of the
reader-facing HTML) on every answer; :class:`AreaPolicyMiddleware` swaps in the
policy of the first ``CSP_AREA_POLICIES`` prefix the path starts with (the
API's JSON, its Swagger UI, the Wagtail admin). A view's own ``csp_*``
decorators still win.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


class AreaPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        for prefix, directives in settings.CSP_AREA_POLICIES:
            if request.path_info.startswith(prefix):
                parts.config = default_config(directives)
                break
        return parts
