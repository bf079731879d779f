"""Many instances: two gunicorns (separate processes and ports) behind
Varnish, sharing PostgreSQL and Redis, with two counting flushers running at
once (harness.cluster). Counting through the tier is exact (0 lost, 0
doubled), both instances take part, and a change made on one shows on every
instance and through Varnish at once."""

import json
import os
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from harness.cluster import cluster, fresh_database
from harness.faults import wait_flushed

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.varnish,
]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


@pytest.fixture(scope="module")
def database_url():
    """A database of this module's own beside the suite's (the instances
    cannot see the test's transaction)."""
    url = os.environ["DATABASE_URL"] + "_instances"
    yield url
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def post_view(base: str, article: int, visitor: str) -> dict:
    request = urllib.request.Request(
        f"{base}/api/v1/articles/{article}/views/",
        method="POST",
        headers={"User-Agent": BROWSER, "X-Visitor-Id": visitor},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def title(base: str, article: int) -> str:
    with urllib.request.urlopen(f"{base}/api/v1/articles/{article}/") as response:
        return json.loads(response.read())["title"]


def stored_views(database_url: str, article: int) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT views FROM counters_pageviewcount WHERE page_id = %s", [article]
        ).fetchone()
    return row[0] if row else 0


def served_posts(log: str) -> int:
    return len(re.findall(r" POST /api/v1/articles/\d+/views/ 200$", log, re.M))


def test_two_instances_count_exactly_and_show_a_publish_everywhere(database_url):
    article = fresh_database(database_url)
    with cluster(
        env={"DATABASE_URL": database_url}, instances=2, flushers=2
    ) as running:
        base = running.url
        visitors = [f"reader-{n:04}" for n in range(300)]
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(lambda v: post_view(base, article, v), visitors))
            repeats = list(
                pool.map(lambda _: post_view(base, article, "reader-0007"), range(30))
            )
        assert all(answer["counted"] for answer in answers)
        assert not any(answer["counted"] for answer in repeats)
        wait_flushed(running.env["REDIS_URL"])
        # 0 lost, 0 doubled, though two flushers moved the buffer at once.
        assert stored_views(database_url, article) == 300
        for app in running.apps:  # the round robin reached both instances
            assert served_posts(app.read_log()) > 0
            assert "Traceback" not in app.read_log()

        for url in [base, *(app.url for app in running.apps)]:
            title(url, article)
            title(url, article)  # kept: in Varnish, in the shared answer cache
        running.apps[0].shell(
            "from articles.models import ArticlePage\n"
            f"page = ArticlePage.objects.get(pk={article})\n"
            "page.title = 'Sửa trên một máy'\n"
            "page.save_revision().publish()"
        )
        deadline = time.monotonic() + 1.0
        for url in [base, *(app.url for app in running.apps)]:
            while title(url, article) != "Sửa trên một máy":
                assert time.monotonic() < deadline, url
                time.sleep(0.05)
