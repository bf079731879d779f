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


@pytest.fixture
def imported(category):
    """An article as the importer leaves it: its old count, no view this week."""
    from counters.services import raise_view_count

    old = make_article(category=category, title="Bài nhập từ cổng cũ")
    raise_view_count(page=old, at_least=3191)
    return old


def test_the_dashboard_shows_all_time_counts_beside_the_weeks(
    editor_client, imported, articles
):
    popular, _ = articles
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html.split('id="readership-section"')[1].split("</section>")[0]
    assert "Chưa có lượt xem" not in panel
    # Read this week first; the imported article, read only before, after it.
    assert panel.index(popular.title) < panel.index(imported.title)
    row = panel.split(imported.title)[1].split("</tr>")[0]
    assert [c.strip() for c in row.split("<td>")[1:]] == ["0</td>", "3.191</td>"]
    assert "<th>7 ngày qua</th>" in panel
    assert "<th>Tổng lượt xem</th>" in panel


def test_the_report_shows_all_time_counts_the_vietnamese_way(editor_client, imported):
    response = editor_client.get(reverse("articles_most_viewed"), {"period": "week"})
    html = response.content.decode()
    assert imported.title in html
    assert "3.191" in html
    response = editor_client.get(reverse("articles_most_viewed"), {"period": "all"})
    assert "3.191" in response.content.decode()


def test_the_listing_writes_counts_the_vietnamese_way(editor_client, imported):
    html = editor_client.get(reverse("articles:index")).content.decode()
    assert "3.191" in html


def test_the_report_header_says_nothing_odd(editor_client, imported, articles):
    response = editor_client.get(reverse("articles_most_viewed"), {"period": "week"})
    html = response.content.decode()
    assert "trong số None" not in html
    assert f'href="/admin/pages/{imported.pk}/edit/"' in html
