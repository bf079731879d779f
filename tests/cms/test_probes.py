"""``/healthz/`` (liveness) and ``/readyz/`` (readiness) of a real server whose
database is down: alive, not ready, and neither says where the database is."""

import json
import urllib.error
import urllib.request

import pytest

from harness.server import served

# Starts servers of its own (make test-fast leaves it out).
pytestmark = pytest.mark.slow

NO_DATABASE = "postgres://newsdesk:secret-password@127.0.0.1:9/newsdesk"


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_database_down_alive_but_not_ready():
    with served(workers=1, dataset={"DATABASE_URL": NO_DATABASE}) as server:
        live = get(f"{server.url}/healthz/")
        ready = get(f"{server.url}/readyz/")
    assert live == (200, '{"status": "ok"}')
    status, body = ready
    assert status == 503
    assert json.loads(body)["database"] == "down"
    assert json.loads(body)["status"] == "down"
    # A check that needs the database is not run (it would wait on it again).
    assert json.loads(body)["counting_quarantine"] == {"status": "unknown"}
    for internal in ("127.0.0.1", ":9", "newsdesk", "secret", "postgres"):
        assert internal not in body
