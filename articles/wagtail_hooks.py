"""Admin integration: a flat "Articles" listing with category, date and views;
the "most viewed" report and the readership dashboard panel."""

from django.contrib import messages
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.ui.tables.pages import (
    BulkActionsColumn,
    PageStatusColumn,
    PageTitleColumn,
    ParentPageColumn,
)
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet

from articles import drafts, review
from articles.admin_views import (
    MostViewedReportView,
    NumberColumn,
    ReadershipPanel,
    slug_suggestion,
)
from articles.models import ArticlePage
from articles.scheduling import schedule_warning
from counters.selectors import with_view_counts


class ArticleIndexView(IndexView):
    def get_base_queryset(self):
        return with_view_counts(super().get_base_queryset())


class ArticleListingViewSet(PageListingViewSet):
    icon = "doc-full"
    menu_label = _("Articles")
    menu_order = 150
    add_to_admin_menu = True
    model = ArticlePage
    index_view_class = ArticleIndexView
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
        NumberColumn(
            "view_count", label=_("Views"), sort_key="view_count", width="10%"
        ),
        PageStatusColumn("status", label=_("Status"), sort_key="live", width="12%"),
    ]


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles")


@hooks.register("register_admin_urls")
def register_most_viewed_report():
    return [
        path(
            "reports/most-viewed/",
            MostViewedReportView.as_view(),
            name="articles_most_viewed",
        ),
        path(
            "reports/most-viewed/results/",
            MostViewedReportView.as_view(results_only=True),
            name="articles_most_viewed_results",
        ),
        path("articles/slug/", slug_suggestion, name="articles_slug_suggestion"),
    ]


@hooks.register("insert_editor_js")
def slug_suggestion_js():
    return format_html(
        '<script src="{}"></script>', static("articles/admin/slug_suggestion.js")
    )


@hooks.register("insert_editor_js")
def save_typed_text_js():
    return format_html(
        '<script src="{}"></script>', static("articles/admin/save_typed_text.js")
    )


_is_autosave = drafts.is_autosave


@hooks.register("after_create_page")
def remember_autosaved_new_article(request, page):
    if isinstance(page, ArticlePage):
        drafts.bind_new_article_key(request=request, page=page)
        if _is_autosave(request):
            drafts.mark_autosaved_new_article(page=page)


@hooks.register("before_edit_page")
def warn_on_the_edit_form(request, page):
    if request.method == "GET" and isinstance(page, ArticlePage):
        _warn_if_dates_disagree(request, page)
        if note := review.changes_requested(page=page):
            messages.warning(request, note)


@hooks.register("after_publish_page")
def warn_after_publishing(request, page):
    # Publishing leaves the edit form, which would have said it.
    if isinstance(page, ArticlePage) and not _is_autosave(request):
        _warn_if_dates_disagree(request, page)


def _warn_if_dates_disagree(request, page):
    draft = page.get_latest_revision_as_object()
    warning = schedule_warning(
        published_at=draft.published_at, go_live_at=draft.go_live_at, now=now()
    )
    if warning:
        messages.warning(request, warning)


@hooks.register("after_edit_page")
@hooks.register("after_publish_page")
def forget_autosaved_new_article(request, page):
    if isinstance(page, ArticlePage) and not _is_autosave(request):
        drafts.mark_saved_by_editor(page=page)


@hooks.register("register_reports_menu_item")
def register_most_viewed_menu_item():
    return MenuItem(
        _("Most viewed articles"),
        reverse("articles_most_viewed"),
        name="most-viewed",
        icon_name="view",
        order=50,
    )


@hooks.register("construct_homepage_panels")
def add_readership_panel(request, panels):
    panels.append(ReadershipPanel())
