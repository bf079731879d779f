"""Admin screens about readership: the "most viewed" report and dashboard panel."""

import django_filters
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Site

from articles.models import ArticlePage
from counters.selectors import most_viewed, view_counts, visit_count


def slug_suggestion(request: HttpRequest) -> JsonResponse:
    """``GET ?slug=<typed>&page=<id>``: the free article slug for it.

    The admin's slug script asks while an editor types (articles.drafts).
    """
    from articles.drafts import suggest_article_slug

    text = request.GET.get("slug", "")
    page = request.GET.get("page", "")
    if not text.strip():
        return _bad_parameter("slug", "The typed slug or title is missing.")
    if page and not page.isdigit():
        return _bad_parameter("page", "The page id must be a number.")
    slug = suggest_article_slug(text=text, page_id=int(page) if page else None)
    return JsonResponse({"slug": slug})


def _bad_parameter(name: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"title": "Bad request", "status": 400, "detail": detail, "parameter": name},
        status=400,
        content_type="application/problem+json",
    )


PERIOD_CHOICES = [
    ("day", _("Today")),
    ("week", _("Last 7 days")),
    ("month", _("Last 30 days")),
    ("all", _("All time")),
]
REPORT_SIZE = 50


def top_articles(*, period: str, limit: int) -> list[ArticlePage]:
    """Live articles most viewed in ``period``, then most viewed of all time.

    Each has ``period_views`` and ``view_count`` (all-time, the imported base
    included) set. Articles read in the period come first; the rest of the
    list is filled with the all-time most viewed, so a fresh import (its counts
    in no period yet) or a quiet week still shows what readers read.
    """
    live = ArticlePage.objects.live().values("pk")
    in_period = dict(most_viewed(period=period, limit=limit, page_ids=live))
    all_time = dict(most_viewed(period="all", limit=limit, page_ids=live))
    pages = ArticlePage.objects.in_bulk([*in_period, *all_time])
    totals = view_counts(page_ids=pages)
    articles = []
    for pk, page in pages.items():
        page.period_views = in_period.get(pk, 0)
        page.view_count = totals.get(pk, all_time.get(pk, 0))
        articles.append(page)
    articles.sort(key=lambda a: (-a.period_views, -a.view_count, -a.pk))
    return articles[:limit]


class NumberColumn(Column):
    """A count written the Vietnamese way (3.191)."""

    cell_template_name = "articles/admin/number_cell.html"


class MostViewedFilterSet(WagtailFilterSet):
    period = django_filters.ChoiceFilter(
        label=_("Period"),
        choices=PERIOD_CHOICES,
        empty_label=None,
        method="keep",  # the view ranks by period; nothing to filter here
    )

    class Meta:
        model = ArticlePage
        fields = []

    def keep(self, queryset, name, value):
        return queryset


class MostViewedReportView(ReportView):
    page_title = _("Most viewed articles")
    header_icon = "view"
    index_url_name = "articles_most_viewed"
    index_results_url_name = "articles_most_viewed_results"
    filterset_class = MostViewedFilterSet
    paginate_by = REPORT_SIZE
    columns = [
        # Wagtail's PageTitleColumn counts the rows in its header from context a
        # report does not give it ("1-None trong số None None").
        TitleColumn(
            "title",
            label=_("Title"),
            classname="title",
            url_name="wagtailadmin_pages:edit",
        ),
        ParentPageColumn("parent", label=_("Category")),
        NumberColumn("period_views", label=_("Views in period"), width="14%"),
        NumberColumn("view_count", label=_("All-time views"), width="14%"),
    ]
    list_export = ["title", "period_views", "view_count"]
    export_headings = {
        "title": _("Title"),
        "period_views": _("Views in period"),
        "view_count": _("All-time views"),
    }

    @property
    def period(self) -> str:
        filters = self.filters
        if filters is not None and filters.is_valid():
            return filters.form.cleaned_data.get("period") or "week"
        return "week"

    def get_queryset(self):
        return top_articles(period=self.period, limit=REPORT_SIZE)

    def filter_queryset(self, queryset):
        return queryset  # the period was applied when ranking


class ReadershipPanel(Component):
    """Dashboard: the site's visit counter and this week's five most viewed."""

    name = "readership"
    order = 90
    template_name = "articles/admin/readership_panel.html"

    def get_context_data(self, parent_context):
        site = Site.objects.filter(is_default_site=True).first()
        return {
            "visit_count": visit_count(site=site) if site else 0,
            "top_articles": top_articles(period="week", limit=5),
        }
