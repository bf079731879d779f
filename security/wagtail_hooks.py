"""The security app in the admin: the two-factor pages, the security log's
actions and entry model in Wagtail's log registry, the audit report, and the
account's link to two-factor settings."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from security import views
from security.actions import ACTIONS, FORMATTERS
from security.models import SecurityLogEntry
from security.report import AuditReportView


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("2fa/setup/", views.setup, name="security_2fa_setup"),
        path("2fa/verify/", views.verify, name="security_2fa_verify"),
        path("2fa/codes/", views.codes, name="security_2fa_codes"),
        path("2fa/new-codes/", views.new_codes, name="security_2fa_new_codes"),
        path("2fa/", views.manage, name="security_2fa_manage"),
        path("reports/audit/", AuditReportView.as_view(), name="security_audit"),
        path(
            "reports/audit/results/",
            AuditReportView.as_view(results_only=True),
            name="security_audit_results",
        ),
    ]


@hooks.register("register_log_actions")
def register_log_actions(registry):
    # Entries about nothing else: registering the model for itself only adds
    # it to the models Wagtail's reports read (no other object logs here).
    registry.register_model(SecurityLogEntry, SecurityLogEntry)
    for action, (label, message) in ACTIONS.items():
        if action in FORMATTERS:
            registry.register_action(action)(FORMATTERS[action])
        else:
            registry.register_action(action, label, message)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def register_audit_menu_item():
    return SuperuserMenuItem(
        _("Audit log"),
        reverse("security_audit"),
        name="audit-log",
        icon_name="list-ul",
        order=900,
    )


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request):
    return {
        "url": reverse("security_2fa_manage"),
        "label": _("Two-factor authentication"),
        "help_text": _("Recovery codes, moving to another phone."),
    }
