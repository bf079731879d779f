"""Counting through a real multi-process server: gunicorn, 2 sync workers,
one SQLite file, the database cache for dedupe (no Redis)."""

import json
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.server import served

# Starts servers of its own (make test-fast leaves it out).
pytestmark = pytest.mark.slow

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


def post_view(server, visitor: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{server.url}/api/v1/articles/{server.article_id}/views/",
        method="POST",
        headers={"User-Agent": BROWSER, "X-Visitor-Id": visitor},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, json.loads(response.read())


def worker_pids(log: str) -> set[str]:
    return set(re.findall(r"^<(\d+)> POST /api/v1/articles/\d+/views/ 200$", log, re.M))


def test_two_workers_count_every_view_once_and_a_repeat_never(tmp_path):
    with served(workers=2) as server:
        visitors = [f"reader-{n:05}" for n in range(200)]
        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(pool.map(lambda v: post_view(server, v), visitors))
        assert {status for status, _ in results} == {200}
        assert all(body["counted"] for _, body in results)
        # Each answer is the count after its own increment: all distinct.
        assert sorted(body["view_count"] for _, body in results) == list(range(1, 201))
        served_first = worker_pids(server.read_log())

        # One visitor, many new connections at once: whichever worker takes
        # each, it is counted once in all.
        with ThreadPoolExecutor(max_workers=20) as pool:
            repeats = list(
                pool.map(lambda _: post_view(server, "reader-again"), range(40))
            )
        assert [body["counted"] for _, body in repeats].count(True) == 1
        assert {body["view_count"] for _, body in repeats} <= {200, 201}
        assert post_view(server, "reader-00007")[1] == {
            "view_count": 201,
            "counted": False,
        }
        log = server.read_log()
        assert len(served_first) == 2  # both workers took part
        assert len(worker_pids(log)) == 2
        assert "database is locked" not in log
        assert " 500" not in log and "Traceback" not in log
