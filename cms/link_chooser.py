"""The link dialog's forms with labels in the admin's language.

Wagtail's link chooser forms (``wagtail.admin.forms.choosers``) give "Link
text", "Email address", "Subject", "Body" and "Phone number" no label, so
Django shows the field names, in English, whatever the catalog says. These
subclasses only add gettext'd labels; the views are Wagtail's, given these
forms (``cms.wagtail_hooks`` routes the dialog's URL names to them).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import (
    AnchorLinkChooserForm,
    EmailLinkChooserForm,
    ExternalLinkChooserForm,
    PhoneLinkChooserForm,
)
from wagtail.admin.views.chooser import (
    AnchorLinkView,
    EmailLinkView,
    ExternalLinkView,
    PhoneLinkView,
)


def _link_text() -> forms.CharField:
    return forms.CharField(required=False, label=_("Link text"))


class ExternalLinkForm(ExternalLinkChooserForm):
    link_text = _link_text()


class AnchorLinkForm(AnchorLinkChooserForm):
    link_text = _link_text()


class EmailLinkForm(EmailLinkChooserForm):
    email_address = forms.EmailField(required=True, label=_("Email address"))
    link_text = _link_text()
    subject = forms.CharField(required=False, label=_("Email subject"))
    body = forms.CharField(
        required=False,
        label=_("Email body"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhoneLinkForm(PhoneLinkChooserForm):
    phone_number = forms.CharField(required=True, label=_("Phone number"))
    link_text = _link_text()


class ExternalLink(ExternalLinkView):
    form_class = ExternalLinkForm


class AnchorLink(AnchorLinkView):
    form_class = AnchorLinkForm


class EmailLink(EmailLinkView):
    form_class = EmailLinkForm


class PhoneLink(PhoneLinkView):
    form_class = PhoneLinkForm
