"""Counts in the admin: the article listing, the report and the dashboard."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from counters.services import count_view, count_visit, raise_visit_count
from counters.visitors import Visitor
from tests.factories import make_article

pytestmark = pytest.mark.usefixtures("counting_store")


def views(page, n, start=0):
    for i in range(start, start + n):
        count_view(page=page, visitor=Visitor(key=f"id:reader-{page.pk}-{i}"))


@pytest.fixture
def articles(category):
    popular = make_article(category=category, title="Bài được đọc nhiều")
    quiet = make_article(category=category, title="Bài ít người đọc")
    views(popular, 7)
    views(quiet, 2)
    return popular, quiet


def test_the_article_listing_shows_and_sorts_by_views(editor_client, articles):
    popular, quiet = articles
    from counters import buffer
    from counters.services import flush_buffer

    if buffer.enabled():
        flush_buffer()  # the sortable column reads the database
    response = editor_client.get(reverse("articles:index"), {"ordering": "-view_count"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(popular.title) < html.index(quiet.title)
    response = editor_client.get(reverse("articles:index"), {"ordering": "view_count"})
    html = response.content.decode()
    assert html.index(quiet.title) < html.index(popular.title)


def test_the_most_viewed_report(editor_client, articles):
    popular, quiet = articles
    response = editor_client.get(reverse("articles_most_viewed"), {"period": "day"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(popular.title) < html.index(quiet.title)
    response = editor_client.get(
        reverse("articles_most_viewed_results"), {"period": "month"}
    )
    assert response.status_code == 200
    assert popular.title in response.content.decode()


def test_the_report_leaves_out_unpublished_articles(editor_client, articles):
    popular, _ = articles
    popular.unpublish()
    response = editor_client.get(reverse("articles_most_viewed"), {"period": "week"})
    assert popular.title not in response.content.decode()


def test_the_dashboard_shows_visits_and_the_weeks_top_five(editor_client, articles):
    popular, _ = articles
    site = Site.objects.get(is_default_site=True)
    raise_visit_count(site=site, at_least=123456)
    count_visit(site=site, visitor=Visitor(key="id:reader-x"))
    response = editor_client.get(reverse("wagtailadmin_home"))
    panel = response.content.decode().split('id="readership-section"')[1]
    # Grouped the Vietnamese way (cms/formats/vi: "." between thousands)
    assert "<strong>123.457</strong>" in panel
    assert popular.title in panel
