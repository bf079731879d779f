from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from webhooks.admin_views import EndpointViewSet, delivery_log, resend


@hooks.register("register_admin_viewset")
def register_endpoints():
    return EndpointViewSet()


@hooks.register("register_admin_urls")
def register_delivery_log():
    return [
        path("webhooks/deliveries/", delivery_log, name="webhooks_delivery_log"),
        path(
            "webhooks/deliveries/<int:pk>/resend/",
            resend,
            name="webhooks_delivery_resend",
        ),
    ]


class DeliveryLogMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("webhooks.change_endpoint")


@hooks.register("register_settings_menu_item")
def register_delivery_log_menu_item():
    return DeliveryLogMenuItem(
        _("Webhook deliveries"),
        reverse("webhooks_delivery_log"),
        name="webhook-deliveries",
        icon_name="history",
        order=910,
    )
