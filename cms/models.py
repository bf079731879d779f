"""The site's root page (and the database's epoch, ``cms.epoch``)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.epoch import DatabaseEpoch
from cms.frontend import FrontendUrlMixin

__all__ = ["DatabaseEpoch", "HomePage"]


class HomePage(FrontendUrlMixin, Page):
    """Root of the site; categories live directly under it."""

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    template = "cms/page.html"
    subpage_types = ["articles.CategoryPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
