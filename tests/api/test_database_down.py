"""With the database unreachable every /api/ answer is a 503 problem with
``Retry-After``, whatever part of the stack met the failure first (the answer
cache's table, the site lookup, a view): a real gunicorn pointed at a
PostgreSQL port nobody listens on, and at a SQLite file that cannot be opened."""

import json
import urllib.error
import urllib.request

import pytest

from harness.server import free_port, served

# Starts servers of its own (make test-fast leaves it out).
pytestmark = pytest.mark.slow

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
REQUESTS = [
    ("GET", "/api/v1/articles/"),
    ("GET", "/api/v1/articles/?search=ket+nap"),
    ("GET", "/api/v1/articles/1/"),
    ("GET", "/api/v1/articles/slug/bai-viet/"),
    ("GET", "/api/v1/articles/most-viewed/"),
    ("GET", "/api/v1/categories/"),
    ("GET", "/api/v1/site/"),
    ("POST", "/api/v1/articles/1/views/"),
    ("POST", "/api/v1/site/visits/"),
]


def answer(url: str, method: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": BROWSER, "X-Visitor-Id": "r-0001"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        headers = dict(error.headers)
        assert headers["Content-Type"] == "application/problem+json", body[:300]
        return error.code, headers, json.loads(body)


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param(f"postgres://postgres@127.0.0.1:{free_port()}/gone", id="pg"),
        pytest.param("sqlite:////nonexistent-newsdesk-dir/db.sqlite3", id="sqlite"),
    ],
)
def test_every_api_answer_is_a_503_problem_while_the_database_is_down(database_url):
    environment = {"DATABASE_URL": database_url}
    with served(
        workers=1,
        dataset=environment,
        extra_env={"DJANGO_SETTINGS_MODULE": "cms.settings"},
        wait_for_database=False,
    ) as server:
        for method, path in REQUESTS:
            status, headers, body = answer(server.url + path, method)

            assert status == 503, (method, path, body)
            assert headers["Retry-After"].isdigit()
            assert body["status"] == 503 and body["title"] == "Service Unavailable"
            # Nothing of the cause (host, port, driver message) reaches a client.
            assert "127.0.0.1" not in json.dumps(body)
            assert "nonexistent" not in json.dumps(body)
        # A token is checked before the database is asked: still a 403.
        status, _, body = answer(server.url + "/api/v1/preview/?token=abc", "GET")
        assert status == 403 and body["errors"]["token"]
