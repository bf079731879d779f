"""The admin's sign-in form, in Vietnamese to the last word.

Wagtail's form gives the password field no label, so Django shows the field's
name, "Password", untranslated (``WAGTAILADMIN_USER_LOGIN_FORM``).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
