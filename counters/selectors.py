"""Reading counts."""

from wagtail.models import Page, Site

from counters.models import PageViewCount, SiteVisitCount


def view_count(*, page: Page) -> int:
    """All-time views of ``page`` (0 when never counted)."""
    row = PageViewCount.objects.filter(page_id=page.pk).values_list("views", flat=True)
    return row.first() or 0


def visit_count(*, site: Site) -> int:
    """The site-wide visit counter (0 when never counted)."""
    row = SiteVisitCount.objects.filter(site_id=site.pk).values_list(
        "visits", flat=True
    )
    return row.first() or 0
