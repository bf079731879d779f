"""The only ways counts change. Every write is atomic (no read-modify-write)."""

from django.db.models import F
from django.db.models.functions import Greatest
from wagtail.models import Page, Site

from counters.models import PageViewCount, SiteVisitCount


def raise_view_count(*, page: Page, at_least: int) -> int:
    """Make ``page``'s view count at least ``at_least`` (a legacy base); never lower.

    Returns the count now stored.
    """
    PageViewCount.objects.get_or_create(page_id=page.pk)
    PageViewCount.objects.filter(page_id=page.pk).update(
        views=Greatest(F("views"), at_least)
    )
    return PageViewCount.objects.values_list("views", flat=True).get(page_id=page.pk)


def raise_visit_count(*, site: Site, at_least: int) -> int:
    """Make ``site``'s visit counter at least ``at_least``; never lower.

    Returns the count now stored.
    """
    SiteVisitCount.objects.get_or_create(site_id=site.pk)
    SiteVisitCount.objects.filter(site_id=site.pk).update(
        visits=Greatest(F("visits"), at_least)
    )
    return SiteVisitCount.objects.values_list("visits", flat=True).get(site_id=site.pk)
