"""Counting views and visits (database mode on SQLite; Redis mode when REDIS_URL)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import Site

from counters.models import PageDailyViews, SiteDailyVisits
from counters.selectors import most_viewed, view_count, visit_count
from counters.services import count_view, count_visit, raise_view_count
from counters.visitors import Visitor
from tests.factories import make_article, vn_time

pytestmark = pytest.mark.usefixtures("counting_store")


def reader(n=1):
    return Visitor(key=f"id:reader-{n}")


@pytest.fixture
def article(category):
    return make_article(category=category, title="Hội nghị chuyên đề")


def test_a_view_adds_one_and_says_so(article):
    result = count_view(page=article, visitor=reader())
    assert (result.count, result.counted) == (1, True)
    assert view_count(page=article) == 1


def test_the_same_visitor_counts_once_in_the_window(article):
    results = [count_view(page=article, visitor=reader()) for _ in range(50)]
    assert [r.counted for r in results].count(True) == 1
    assert view_count(page=article) == 1
    assert results[-1].count == 1


def test_the_window_is_per_article(article, category):
    other = make_article(category=category, title="Thông báo khác")
    assert count_view(page=article, visitor=reader()).counted
    assert count_view(page=other, visitor=reader()).counted


def test_the_window_ends(article, settings):
    # The window is the dedupe mark's expiry: in the database (counting without
    # Redis) the clock is ours to move; Redis expires keys by its own clock.
    settings.REDIS_URL = None
    settings.COUNTING_VIEW_WINDOW = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert count_view(page=article, visitor=reader()).counted
        clock.shift(59)
        assert not count_view(page=article, visitor=reader()).counted
        clock.shift(2)
        assert count_view(page=article, visitor=reader()).counted
    assert view_count(page=article) == 2


def test_bots_and_editors_add_nothing(article):
    bot = Visitor(key="h:bot", countable=False)
    results = [count_view(page=article, visitor=bot) for _ in range(5)]
    assert not any(r.counted for r in results)
    assert view_count(page=article) == 0


def test_views_add_to_the_legacy_base(article):
    raise_view_count(page=article, at_least=3191)
    assert count_view(page=article, visitor=reader()).count == 3192


def test_publishing_a_new_revision_keeps_the_count(article):
    for n in range(3):
        count_view(page=article, visitor=reader(n))
    article.title = "Hội nghị chuyên đề (cập nhật)"
    article.save_revision().publish()
    article.refresh_from_db()
    assert view_count(page=article) == 3
    assert count_view(page=article, visitor=reader(9)).count == 4


def test_daily_buckets_follow_local_time(article):
    # 23:30 and 00:30 in Hanoi are one UTC day apart from the local dates.
    late = vn_time(2026, 3, 1, 23, 30)
    count_view(page=article, visitor=reader(1), now=late)
    count_view(page=article, visitor=reader(2), now=late + timedelta(hours=1))
    _flush_if_buffered()
    days = dict(PageDailyViews.objects.filter(page=article).values_list("day", "views"))
    assert {str(d): n for d, n in days.items()} == {"2026-03-01": 1, "2026-03-02": 1}


def test_visits_count_once_per_visit_window():
    site = Site.objects.get(is_default_site=True)
    assert count_visit(site=site, visitor=reader(1)).counted
    assert not count_visit(site=site, visitor=reader(1)).counted
    result = count_visit(site=site, visitor=reader(2))
    assert (result.count, result.counted) == (2, True)
    assert visit_count(site=site) == 2
    _flush_if_buffered()
    assert SiteDailyVisits.objects.get(site=site).visits == 2


def test_most_viewed_by_period_and_category(category, other_category):
    now = vn_time(2026, 3, 31, 12, 0)
    a = make_article(category=category, title="Bài A")
    b = make_article(category=category, title="Bài B")
    c = make_article(category=other_category, title="Bài C")
    raise_view_count(page=c, at_least=500)  # legacy views count only for "all"
    views = [
        (a, 0, 1),  # today, one visitor
        (b, 3, 3),  # three days ago, three visitors
        (c, 20, 5),
    ]
    n = 0
    for page, days_ago, visitors in views:
        for _ in range(visitors):
            n += 1
            count_view(page=page, visitor=reader(n), now=now - timedelta(days=days_ago))
    assert most_viewed(period="day", now=now) == [(a.pk, 1)]
    assert most_viewed(period="week", now=now) == [(b.pk, 3), (a.pk, 1)]
    assert most_viewed(period="month", now=now) == [(c.pk, 5), (b.pk, 3), (a.pk, 1)]
    assert most_viewed(period="all", now=now)[0] == (c.pk, 505)
    assert most_viewed(period="month", parent=category, now=now) == [
        (b.pk, 3),
        (a.pk, 1),
    ]
    assert most_viewed(period="month", page_ids=[a.pk, c.pk], limit=1, now=now) == [
        (c.pk, 5)
    ]
    _flush_if_buffered()
    assert most_viewed(period="month", now=now) == [(c.pk, 5), (b.pk, 3), (a.pk, 1)]


def _flush_if_buffered():
    from counters import buffer
    from counters.services import flush_buffer

    if buffer.enabled():
        flush_buffer()
