"""The admin's webhook screens: endpoints (a snippet: URL, events, active;
the secret shown once, in the message after creation) and the delivery log
(status, attempts, last error, resend)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from articles.changes import EVENTS
from webhooks import addresses, services
from webhooks.models import Delivery, Endpoint

LOG_SIZE = 200


class EndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=[(event, event) for event in EVENTS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The events sent to this URL."),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        addresses.check_url(url=url)
        return url


class EndpointCreateView(CreateView):
    def get_success_message(self, instance):
        return gettext(
            "Webhook %(url)s created. Its secret, shown this once only: "
            "%(secret)s. Give it to the receiver now: it verifies the "
            "signatures with it."
        ) % {"url": instance.url, "secret": instance.secret}


class EndpointViewSet(SnippetViewSet):
    model = Endpoint
    icon = "link-external"
    menu_label = _("Webhooks")
    menu_name = "webhooks"
    add_to_settings_menu = True
    add_view_class = EndpointCreateView
    list_display = ["url", "event_list", "active", "created_at"]
    edit_handler = ObjectList(
        [FieldPanel("url"), FieldPanel("events"), FieldPanel("active")],
        base_form_class=EndpointForm,
    )


def _may_manage(request) -> None:
    if not request.user.has_perm("webhooks.change_endpoint"):
        raise PermissionDenied


def delivery_log(request):
    _may_manage(request)
    deliveries = Delivery.objects.select_related("endpoint").order_by("-pk")
    return TemplateResponse(
        request,
        "webhooks/delivery_log.html",
        {"deliveries": deliveries[:LOG_SIZE], "header_icon": "history"},
    )


@require_POST
def resend(request, pk: int):
    _may_manage(request)
    delivery = get_object_or_404(Delivery, pk=pk)
    services.resend(delivery=delivery)
    messages.success(request, gettext("The delivery will be sent again."))
    return redirect("webhooks_delivery_log")
