"""Template tags of the admin's own templates (cms/templates/wagtailadmin)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_name() -> str:
    """The portal's name (``SITE_NAME``), which the admin's tab titles end with."""
    return settings.WAGTAIL_SITE_NAME


@register.filter
def page_permission_label(codename: str) -> str:
    """A page permission's label ("Publish any page", translated) from its
    codename ("publish_page"), where Wagtail shows the permission's English
    database name."""
    from wagtail.models import PAGE_PERMISSION_TYPES

    kind = str(codename).rsplit("_", 1)[0]
    for identifier, _short_label, long_label in PAGE_PERMISSION_TYPES:
        if identifier == kind:
            return str(long_label)
    return str(codename)
