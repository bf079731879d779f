"""A real gunicorn on a PostgreSQL cluster of our own, faulted for real
(``harness.pg_faults``): hung (every process SIGSTOPped), a row lock held by
another connection, stopped (connections refused). Every request is answered,
and soon (the timeouts in cms.settings, small here): the API and counting with
a 503 problem and ``Retry-After``, ``/readyz/`` with 503 ``down``, the reader
with its shell, the admin with its Vietnamese 503 page. Nothing counted is
lost: a view refused with a 503 counts when retried (without Redis)."""

import json
import urllib.error
import urllib.request

import pytest

from harness import pg_faults
from harness.replica import primary_cluster
from harness.server import served

pytestmark = pytest.mark.postgres

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
# Well past what the timeouts below allow (a hung request waited for ever).
GIVE_UP = 60
LIMITS = {
    "DATABASE_CONNECT_TIMEOUT": "2",
    "DATABASE_STATEMENT_TIMEOUT": "2",
    "DATABASE_LOCK_TIMEOUT": "1",
    "DATABASE_DEADLINE": "3",
}


def answer(url: str, method: str = "GET", **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(
        url,
        method=method,
        headers={"User-Agent": BROWSER, "X-Visitor-Id": "reader-0001", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=GIVE_UP) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def site():
    with (
        primary_cluster() as url,
        served(
            workers=1,
            settings="tests.settings",  # the admin's static files as they are
            extra_env={"DATABASE_URL": url, **LIMITS},
        ) as server,
    ):
        yield url, server


def warm(server) -> None:
    """Every thread of the worker with a kept connection (a hung server is
    worst for those: they wait for an answer that never comes)."""
    for _ in range(8):
        assert answer(f"{server.url}/api/v1/articles/?page_size=1")[0] == 200


def assert_unavailable(status: int, headers: dict, body: bytes) -> None:
    assert status == 503, body[:300]
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Retry-After"].isdigit()
    assert json.loads(body)["status"] == 503


@pytest.mark.parametrize("fault", ["hung", "stopped"])
def test_every_kind_of_request_is_answered_while_postgresql_is_down(site, fault):
    url, server = site
    warm(server)
    cause = pg_faults.hung(url) if fault == "hung" else pg_faults.stopped(url)
    with cause:
        for method, path in [
            ("GET", "/api/v1/articles/"),
            ("GET", f"/api/v1/articles/{server.article_id}/"),
            ("POST", f"/api/v1/articles/{server.article_id}/views/"),
            ("POST", "/api/v1/site/visits/"),
        ]:
            assert_unavailable(*answer(server.url + path, method))

        status, _, body = answer(server.url + "/readyz/")
        assert (status, json.loads(body)["status"]) == (503, "down")

        status, headers, body = answer(server.url + "/tin-tuc-su-kien/bai-do-tai/")
        assert status == 200, body[:300]
        assert headers["Content-Type"].startswith("text/html")
        assert b'src="/js/app.js"' in body

        status, headers, body = answer(server.url + "/admin/")
        assert status == 503
        assert headers["Retry-After"].isdigit()
        assert "Hệ thống tạm thời gián đoạn" in body.decode()

    # Back: everything answers again, from new connections.
    assert answer(f"{server.url}/api/v1/articles/")[0] == 200
    assert answer(server.url + "/readyz/")[0] == 200


def test_a_view_waiting_for_a_locked_row_is_a_503_and_counts_when_retried(site):
    url, server = site
    article = f"{server.url}/api/v1/articles/{server.article_id}/views/"
    status, _, body = answer(article, "POST", **{"X-Visitor-Id": "first-reader"})
    before = json.loads(body)["view_count"]

    with pg_faults.row_locked(
        url,
        "SELECT * FROM counters_pageviewcount WHERE page_id = %s FOR UPDATE",
        (server.article_id,),
    ) as locked:
        assert locked == 1
        refused = answer(article, "POST", **{"X-Visitor-Id": "locked-out-reader"})
        assert_unavailable(*refused)

    status, _, body = answer(article, "POST", **{"X-Visitor-Id": "locked-out-reader"})
    assert status == 200
    assert json.loads(body) == {"view_count": before + 1, "counted": True}
