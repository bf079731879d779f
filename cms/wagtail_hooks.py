"""The admin in the newsroom's language, where Wagtail leaves English.

- The link dialog's forms (``cms.link_chooser``): registered under Wagtail's
  own URL names, after Wagtail's, so ``reverse()`` (which picks the last
  pattern of a name) sends the editor's dialog to them.
- The help menu: Wagtail's links to its English editor guide and release
  notes go; the keyboard shortcuts stay.
- The sites listing's columns, labelled with the model's field names.
- The page choosers of a group's page permissions and of a workflow's pages:
  Wagtail's forms give them no label, so they read "Page".
"""

from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.workflows import WorkflowPageForm
from wagtail.admin.ui.tables import Column
from wagtail.models import Site
from wagtail.sites.views import IndexView as SiteIndexView
from wagtail.users.forms import PagePermissionsForm

from cms import link_chooser

# Wagtail's help menu items that open its English documentation.
ENGLISH_HELP = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("register_admin_urls")
def link_chooser_urls():
    return [
        path(
            "choose-link/external/",
            link_chooser.ExternalLink.as_view(),
            name="wagtailadmin_choose_page_external_link",
        ),
        path(
            "choose-link/email/",
            link_chooser.EmailLink.as_view(),
            name="wagtailadmin_choose_page_email_link",
        ),
        path(
            "choose-link/phone/",
            link_chooser.PhoneLink.as_view(),
            name="wagtailadmin_choose_page_phone_link",
        ),
        path(
            "choose-link/anchor/",
            link_chooser.AnchorLink.as_view(),
            name="wagtailadmin_choose_page_anchor_link",
        ),
    ]


@hooks.register("construct_help_menu")
def drop_english_guides(request, menu_items):
    menu_items[:] = [
        item for item in menu_items if not item.name.startswith(ENGLISH_HELP)
    ]


def _labelled(column: Column) -> Column:
    # Wagtail labels these columns with the field's name ("Port", "Site name",
    # "Root page"), which no catalog reaches: the model's (translated)
    # verbose name instead.
    if column.name not in ("port", "site_name", "root_page"):
        return column
    return Column(
        column.name,
        label=capfirst(Site._meta.get_field(column.name).verbose_name),
        sort_key=column.sort_key,
    )


# Labels Wagtail leaves to the field's name (declared fields: set once here,
# every form made afterwards copies them).
for _form in (PagePermissionsForm, WorkflowPageForm):
    _form.base_fields["page"].label = _("Page")
# Likewise the sites listing's columns, on Wagtail's own view (a second
# viewset under its name would make the URL namespace ambiguous).
SiteIndexView.columns = [_labelled(column) for column in SiteIndexView.columns]
