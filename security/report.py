"""The audit log report (Báo cáo → Nhật ký kiểm toán): Wagtail's site history
report (every registered log model: pages, other models and this app's
security log, joined by one ``UNION``, with its filters: date range, user,
action, type, name), for administrators, with the client address of the
entries that have one and in the CSV/XLSX export."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
    get_users_for_filter,
)


class AuditFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        # Wagtail 8's report offers only the users of page entries (its
        # ``get_user_choices`` is no longer called): every log's users here.
        return get_users_for_filter(self.request.user)


class AuditReportView(LogEntriesView):
    page_title = _("Audit log")
    header_icon = "list-ul"
    index_url_name = "security_audit"
    index_results_url_name = "security_audit_results"
    results_template_name = "security/audit_results.html"
    filterset_class = AuditFilterSet
    export_headings = {**LogEntriesView.export_headings, "ip": _("IP address")}
    list_export = [*LogEntriesView.list_export, "ip"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return "audit-log-" + super().get_filename().removeprefix("audit-log-")

    def decorate_paginated_queryset(self, queryset):
        entries = super().decorate_paginated_queryset(queryset)
        for entry in entries:
            entry.ip = getattr(entry, "ip_address", None) or ""
        return entries
