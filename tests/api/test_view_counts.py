"""One API: the counts the counting endpoints answer are the counts every read
shows, views still pending in the Redis buffer included, at a constant cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counters import buffer
from counters.models import PageViewCount
from counters.services import raise_view_count
from tests.factories import make_article, vn_time

pytestmark = pytest.mark.usefixtures("counting_store")

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
MOST_VIEWED = "/api/v1/articles/most-viewed/"


def post_view(api, article, visitor):
    response = api.post(
        f"/api/v1/articles/{article.pk}/views/",
        HTTP_USER_AGENT=BROWSER,
        HTTP_X_VISITOR_ID=visitor,
    )
    assert response.status_code == 200
    return response.json()


def shown_counts(api, article) -> dict[str, int]:
    """``view_count`` of ``article`` in every read that shows it."""
    detail = api.get(f"/api/v1/articles/{article.pk}/").json()
    by_slug = api.get(f"/api/v1/articles/slug/{article.slug}/").json()
    counts = {"detail": detail["view_count"], "slug": by_slug["view_count"]}
    for ordering in ("-published_at", "-view_count", "view_count"):
        listed = api.get("/api/v1/articles/", {"ordering": ordering}).json()
        (item,) = [r for r in listed["results"] if r["id"] == article.pk]
        counts[f"list {ordering}"] = item["view_count"]
    ranked = api.get(MOST_VIEWED, {"period": "all"}).json()["results"]
    (item,) = [r for r in ranked if r["id"] == article.pk]
    counts["most-viewed"] = item["view_count"]
    return counts


@pytest.fixture
def articles(category):
    return [
        make_article(
            category=category, title=f"Bài {n}", published_at=vn_time(2020, 1, n + 1)
        )
        for n in range(3)
    ]


def test_every_read_shows_the_count_a_post_answered(api, articles):
    article = articles[0]
    raise_view_count(page=article, at_least=3191)  # a legacy base

    answered = post_view(api, article, "reader-0001")

    assert answered == {"view_count": 3192, "counted": True}
    assert set(shown_counts(api, article).values()) == {3192}


@pytest.mark.redis
def test_views_pending_in_redis_are_shown_before_any_flush(api, articles):
    article = articles[1]
    raise_view_count(page=article, at_least=10)
    for n in range(3):
        answered = post_view(api, article, f"reader-{n:04}")

    assert PageViewCount.objects.get(page=article).views == 10  # not flushed
    assert buffer.snapshot()  # the three views wait in the buffer
    assert answered["view_count"] == 13
    assert set(shown_counts(api, article).values()) == {13}


def _spy_on_redis(monkeypatch) -> list:
    """Calls of the buffer's Lua scripts (one Redis round trip each)."""
    calls = []
    real_run = buffer._run

    def run(name, keys, args):
        calls.append(name)
        return real_run(name, keys, args)

    monkeypatch.setattr(buffer, "_run", run)
    return calls


def _queries(api, path, params) -> int:
    api.get(path, params)  # warm per-process caches (content types, site roots)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, params)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def many_viewed(category):
    # More articles than the smaller limit, each viewed (pending with Redis).
    articles = [
        make_article(
            category=category, title=f"Đọc {n}", published_at=vn_time(2021, 1, n + 1)
        )
        for n in range(12)
    ]
    return articles


@pytest.fixture
def build_every_answer(settings):
    """Count the queries of building an answer, not of serving a cached one."""
    settings.API_RESPONSE_CACHE_SECONDS = 0


def test_most_viewed_queries_do_not_grow_with_the_limit(api, many_viewed, monkeypatch):
    for n, article in enumerate(many_viewed):
        for reader in range(n % 3 + 1):
            post_view(api, article, f"reader-{n:03}-{reader}")
    calls = _spy_on_redis(monkeypatch)

    small = _queries(api, MOST_VIEWED, {"limit": 1, "period": "week"})
    large = _queries(api, MOST_VIEWED, {"limit": 50, "period": "week"})
    everything = _queries(api, MOST_VIEWED, {"limit": 50, "period": "all"})

    assert small == large == everything
    assert small <= 10
    results = api.get(MOST_VIEWED, {"limit": 50}).json()["results"]
    assert len(results) == 12
    assert all(r["period_views"] == r["view_count"] for r in results)
    if buffer.enabled():
        # The ranking's snapshot and the summaries' counts: two per request,
        # whatever the limit (six requests above, one more here).
        assert len(calls) == 2 * 7


def test_list_reads_redis_once_per_request_not_per_article(
    api, many_viewed, monkeypatch, build_every_answer
):
    for n, article in enumerate(many_viewed):
        post_view(api, article, f"reader-{n:03}")
    calls = _spy_on_redis(monkeypatch)

    small = _queries(api, "/api/v1/articles/", {"page_size": 1})
    large = _queries(api, "/api/v1/articles/", {"page_size": 100})
    by_views = _queries(api, "/api/v1/articles/", {"ordering": "-view_count"})

    assert small == large == by_views
    if buffer.enabled():
        assert calls == ["snapshot"] * 6
    else:
        assert calls == []
