"""Redis is an accelerator: with it killed or paused, reads still answer 200
from the database, the log says so once, and ``/readyz/`` tells the parts apart.

A redis-server of the test's own (the ``own_redis`` fixture) is stopped for real.
"""

import logging

import pytest
from django.core.management import call_command
from django.test import override_settings

from cms import redis_guard
from tests.factories import make_article

pytestmark = [pytest.mark.redis, pytest.mark.usefixtures("counting_store")]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def article(category):
    return make_article(category=category, title="Hội nghị chuyên đề")


def reads(client, article) -> dict[str, tuple[int, bytes]]:
    urls = {
        "list": "/api/v1/articles/",
        "detail": f"/api/v1/articles/{article.pk}/",
        "slug": f"/api/v1/articles/slug/{article.slug}/",
        "site": "/api/v1/site/",
        "most-viewed": "/api/v1/articles/most-viewed/?period=all",
        "categories": "/api/v1/categories/",
    }
    answers = {}
    for name, url in urls.items():
        response = client.get(url)
        answers[name] = (response.status_code, response.content)
    return answers


def count_one(client, article, visitor):
    return client.post(
        f"/api/v1/articles/{article.pk}/views/",
        HTTP_USER_AGENT=BROWSER,
        HTTP_X_VISITOR_ID=visitor,
    )


@pytest.mark.parametrize("fault", ["kill", "pause"])
def test_reads_answer_the_same_without_redis(client, own_redis, article, fault, caplog):
    assert count_one(client, article, "reader-0001").json()["counted"]
    call_command("flush_counters")
    before = reads(client, article)  # built, and kept in Redis
    assert {status for status, _ in before.values()} == {200}

    getattr(own_redis, fault)()
    try:
        with caplog.at_level(logging.WARNING, logger="cms.redis"):
            during = [reads(client, article) for _ in range(3)]
            ready = client.get("/readyz/")
    finally:
        own_redis.resume()

    for answers in during:
        assert answers == before  # 200, same bodies: from the database
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once per interval, not per request
    assert ready.status_code == 200
    assert ready.json()["redis"] == "degraded"
    assert ready.json()["database"] == "ok"


def test_redis_back_reads_use_it_again(client, own_redis, article):
    own_redis.kill()
    assert reads(client, article)["detail"][0] == 200
    own_redis.start()
    redis_guard.reset()  # as after SKIP_SECONDS
    assert reads(client, article)["detail"][0] == 200
    assert client.get("/readyz/").json()["redis"] == "ok"


def test_readyz_reports_each_part_and_no_internals(client, own_redis, article):
    assert count_one(client, article, "reader-0001").json()["counted"]
    ready = client.get("/readyz/")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ok"
    assert (body["database"], body["redis"]) == ("ok", "ok")
    assert body["counting_buffer"]["status"] == "ok"
    assert body["counting_buffer"]["buckets"] == 1
    assert str(own_redis.port) not in ready.content.decode()

    with override_settings(COUNTING_BUFFER_MAX_AGE=-1):  # no flusher keeps up
        behind = client.get("/readyz/")
    assert behind.status_code == 200
    assert behind.json()["counting_buffer"]["status"] == "behind"
    assert behind.json()["status"] == "degraded"

    call_command("flush_counters")
    assert client.get("/readyz/").json()["counting_buffer"]["buckets"] == 0


def test_healthz_is_liveness_and_says_nothing_else(client, own_redis):
    own_redis.kill()
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_asks_a_paused_redis_once(client, own_redis, article, monkeypatch):
    """The ping says Redis does not answer: the counting buffer's check, which
    would wait for Redis again, is not run (issue 22: each check waited its
    own timeout)."""
    from counters import buffer

    asked = []
    oldest = buffer.oldest
    monkeypatch.setattr(buffer, "oldest", lambda: asked.append(1) or oldest())
    assert client.get("/readyz/").json()["counting_buffer"]["status"] == "ok"
    assert asked == [1]

    own_redis.pause()
    try:
        ready = client.get("/readyz/")
    finally:
        own_redis.resume()

    assert ready.status_code == 200
    assert ready.json()["redis"] == "degraded"
    assert ready.json()["counting_buffer"] == {"status": "unknown"}
    assert asked == [1]
