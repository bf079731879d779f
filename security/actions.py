"""The security log's actions, with the labels and messages the admin shows
(Wagtail's log registry; registered in ``security.wagtail_hooks``)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

SIGN_IN = "newsdesk.sign_in"
SIGN_IN_FAILED = "newsdesk.sign_in_failed"
SIGN_OUT = "newsdesk.sign_out"
LOCKED_OUT = "newsdesk.locked_out"
SECOND_FACTOR_PASSED = "newsdesk.2fa_passed"
SECOND_FACTOR_FAILED = "newsdesk.2fa_failed"
SECOND_FACTOR_ENROLLED = "newsdesk.2fa_enrolled"
SECOND_FACTOR_RESET = "newsdesk.2fa_reset"
RECOVERY_CODES_CREATED = "newsdesk.recovery_codes"
PERMISSIONS_CHANGED = "newsdesk.permissions"

#: action: (label in the filters, message in the listing)
ACTIONS = {
    SIGN_IN: (_("Sign in: password accepted"), _("Signed in with a password")),
    SIGN_IN_FAILED: (_("Sign in: failed"), _("Failed sign-in")),
    SIGN_OUT: (_("Sign out"), _("Signed out")),
    LOCKED_OUT: (_("Sign in: locked out"), _("Locked out after failed sign-ins")),
    SECOND_FACTOR_PASSED: (
        _("Two-factor: code accepted"),
        _("Two-factor code accepted"),
    ),
    SECOND_FACTOR_FAILED: (_("Two-factor: wrong code"), _("Wrong two-factor code")),
    SECOND_FACTOR_ENROLLED: (
        _("Two-factor: set up"),
        _("Two-factor authentication set up"),
    ),
    SECOND_FACTOR_RESET: (
        _("Two-factor: removed"),
        _("Two-factor authentication removed"),
    ),
    RECOVERY_CODES_CREATED: (
        _("Two-factor: new recovery codes"),
        _("New recovery codes made"),
    ),
    PERMISSIONS_CHANGED: (_("Permissions changed"), _("Permissions changed")),
}


class PermissionsFormatter(LogFormatter):
    """ "Permissions changed: groups added: Phóng viên; ..." in the listing."""

    label = ACTIONS[PERMISSIONS_CHANGED][0]

    def format_message(self, log_entry):
        parts = {
            "groups_added": gettext("groups added"),
            "groups_removed": gettext("groups removed"),
            "permissions_added": gettext("permissions added"),
            "permissions_removed": gettext("permissions removed"),
        }
        details = [
            f"{parts[key]}: {', '.join(names)}"
            for key, names in log_entry.data.items()
            if key in parts
        ]
        return "; ".join([str(ACTIONS[PERMISSIONS_CHANGED][1]), *details])


#: Actions whose listing message is built from the entry.
FORMATTERS = {PERMISSIONS_CHANGED: PermissionsFormatter}
