"""The Redis buffer: buffering, flushing, crashes mid-flush, Redis down."""

import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from cms import redis_guard
from counters import buffer, services
from counters.models import AppliedFlush, PageDailyViews, PageViewCount
from counters.selectors import most_viewed, view_count, visit_count
from counters.services import count_view, count_visit, flush_buffer
from counters.visitors import Visitor
from tests.factories import make_article

pytestmark = [pytest.mark.redis, pytest.mark.usefixtures("counting_store")]


class Killed(Exception):
    """Stands for the flush process dying at that point."""


@pytest.fixture
def article(category):
    return make_article(category=category)


def view(article, n):
    return count_view(page=article, visitor=Visitor(key=f"id:reader-{n}"))


def stored(article):
    row = PageViewCount.objects.filter(page=article).first()
    return row.views if row else 0


def test_views_wait_in_the_buffer_and_reads_include_them(article):
    for n in range(5):
        assert view(article, n).counted
    assert not view(article, 0).counted  # dedupe is SET NX EX in Redis
    assert stored(article) == 0  # nothing written to the database yet
    assert view_count(page=article) == 5
    assert most_viewed(period="day") == [(article.pk, 5)]


def test_flush_moves_the_buffer_to_the_database(article):
    site = Site.objects.get(is_default_site=True)
    for n in range(5):
        view(article, n)
    count_visit(site=site, visitor=Visitor(key="id:reader-1"))
    call_command("flush_counters")
    assert stored(article) == 5
    assert PageDailyViews.objects.get(page=article).views == 5
    assert view_count(page=article) == 5
    assert visit_count(site=site) == 1
    assert buffer.snapshot() == {}  # the flushed bucket is gone
    view(article, 99)
    assert view_count(page=article) == 6
    flush_buffer()
    assert stored(article) == 6


def test_killed_after_rotating_loses_nothing(article):
    for n in range(4):
        view(article, n)
    buffer.rotate()  # ... and the flush dies here
    view(article, 10)  # new views go to the new bucket
    assert view_count(page=article) == 5
    flush_buffer()
    assert stored(article) == 5
    assert view_count(page=article) == 5


def test_killed_inside_the_transaction_applies_nothing(article, category, monkeypatch):
    other = make_article(category=category, title="Bài khác")
    for n in range(3):
        view(article, n)
        view(other, n)
    real_increment = services._increment
    calls = []

    def dies_on_the_second_row(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise Killed
        return real_increment(*args, **kwargs)

    monkeypatch.setattr(services, "_increment", dies_on_the_second_row)
    with pytest.raises(Killed):
        flush_buffer()
    monkeypatch.undo()
    # The first row's increment was rolled back with the rest.
    assert (stored(article), stored(other)) == (0, 0)
    assert AppliedFlush.objects.count() == 0
    assert (view_count(page=article), view_count(page=other)) == (3, 3)
    flush_buffer()
    assert (stored(article), stored(other)) == (3, 3)


def test_killed_after_commit_before_delete_counts_nothing_twice(article, monkeypatch):
    for n in range(4):
        view(article, n)

    def killed(bucket_id):
        raise Killed

    monkeypatch.setattr(buffer, "retire", killed)
    with pytest.raises(Killed):
        flush_buffer()
    monkeypatch.undo()
    assert stored(article) == 4  # committed ...
    assert len(buffer.snapshot()) == 1  # ... and still in Redis
    assert view_count(page=article) == 4  # readers skip the applied bucket
    assert most_viewed(period="week") == [(article.pk, 4)]
    flush_buffer()  # re-applying is a no-op, then the bucket is deleted
    assert stored(article) == 4
    assert buffer.snapshot() == {}


def test_two_flushes_at_once_count_once(article, monkeypatch):
    for n in range(3):
        view(article, n)
    # A second flusher applies the same bucket between our snapshot and apply.
    real_apply = services.apply_bucket

    def raced(*, bucket_id, fields):
        assert real_apply(bucket_id=bucket_id, fields=fields)
        return real_apply(bucket_id=bucket_id, fields=fields)

    monkeypatch.setattr(services, "apply_bucket", raced)
    flush_buffer()
    assert stored(article) == 3


def test_a_flusher_rotating_during_another_flush_loses_no_count(article, monkeypatch):
    """Two flushers: the second rotates, and a view lands in its new bucket,
    just before the first one's snapshot. The first must leave that bucket
    (still being written) alone: applied and retired, its later views would
    land in a bucket already marked applied and be lost."""
    view(article, 0)
    real_snapshot = buffer.snapshot
    raced = []

    def another_flusher_meanwhile(*args, **kwargs):
        if not raced:
            raced.append(buffer.rotate())
            view(article, 1)
        return real_snapshot(*args, **kwargs)

    monkeypatch.setattr(buffer, "snapshot", another_flusher_meanwhile)
    flush_buffer()
    monkeypatch.setattr(buffer, "snapshot", real_snapshot)
    view(article, 2)  # into the bucket the other flusher made current
    flush_buffer()
    assert stored(article) == 3
    assert view_count(page=article) == 3


CLOSED_PORT = "redis://127.0.0.1:9/3"
REDIS_DOWN = {
    "REDIS_URL": CLOSED_PORT,
    "CACHES": {
        "default": {
            "BACKEND": "cms.cache.RedisCache",
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    },
}


@pytest.fixture(autouse=True)
def _redis_trusted_again():
    redis_guard.reset()
    yield
    redis_guard.reset()


def test_redis_down_falls_back_to_the_database_and_says_so(article, caplog):
    with override_settings(**REDIS_DOWN), caplog.at_level(logging.WARNING):
        first = view(article, 1)
        again = view(article, 1)
        second = view(article, 2)
    assert (first.counted, again.counted, second.counted) == (True, False, True)
    assert second.count == 2
    assert stored(article) == 2  # written straight to the database
    assert "Redis unreachable" in caplog.text
    assert view_count(page=article) == 2  # and readable once Redis is back


def test_redis_down_the_api_keeps_answering(client, article):
    with override_settings(**REDIS_DOWN):
        response = client.post(
            f"/api/v1/articles/{article.pk}/views/",
            HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0",
            HTTP_X_VISITOR_ID="reader-0001",
        )
    assert response.status_code == 200
    assert response.json() == {"view_count": 1, "counted": True}


def test_redis_paused_the_count_is_503_until_it_answers_then_counted_once(
    client, article, own_redis
):
    def post():
        return client.post(
            f"/api/v1/articles/{article.pk}/views/",
            HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0",
            HTTP_X_VISITOR_ID="reader-paused",
        )

    assert view(article, 1).counted  # a connection to Redis is open
    own_redis.pause()
    try:
        # The first script is sent on that connection and waits in Redis; the
        # retry's new connection gets no answer to its handshake.
        first, retried = post(), post()
    finally:
        own_redis.resume()
    for answer in (first, retried):
        assert answer.status_code == 503
        assert answer["Content-Type"] == "application/problem+json"
        assert int(answer["Retry-After"]) > 0
    after = post()
    assert after.status_code == 200
    assert after.json() == {"view_count": 2, "counted": False}  # the first ran
    flush_buffer()
    assert stored(article) == 2  # once each: neither lost nor doubled


def test_redis_refusing_connections_counts_in_the_database(client, article, own_redis):
    own_redis.kill()
    answer = client.post(
        f"/api/v1/articles/{article.pk}/views/",
        HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0",
        HTTP_X_VISITOR_ID="reader-refused",
    )
    assert answer.json() == {"view_count": 1, "counted": True}
    assert stored(article) == 1
