"""Template tags of the admin's own templates (cms/templates/wagtailadmin)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_name() -> str:
    """The portal's name (``SITE_NAME``), which the admin's tab titles end with."""
    return settings.WAGTAIL_SITE_NAME
