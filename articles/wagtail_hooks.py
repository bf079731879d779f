"""Admin integration: a flat "Articles" listing with category and date."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.ui.tables.pages import (
    BulkActionsColumn,
    PageStatusColumn,
    PageTitleColumn,
    ParentPageColumn,
)
from wagtail.admin.viewsets.pages import PageListingViewSet

from articles.models import ArticlePage


class ArticleListingViewSet(PageListingViewSet):
    icon = "doc-full"
    menu_label = _("Articles")
    menu_order = 150
    add_to_admin_menu = True
    model = ArticlePage
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label=_("Title"), sort_key="title", classname="title"),
        ParentPageColumn("parent", label=_("Category")),
        DateColumn(
            "published_at",
            label=_("Published at"),
            sort_key="published_at",
            width="16%",
        ),
        PageStatusColumn("status", label=_("Status"), sort_key="live", width="12%"),
    ]


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles")
