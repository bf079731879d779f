"""Kept answers served at the WSGI layer (api.fast_path), through a real
gunicorn: the same bytes and headers as through Django's whole stack, gzip,
ETag and 304, CORS, Age, and a change shown on the next request."""

import gzip
import json
import urllib.error
import urllib.request

import pytest

from harness.server import served

# Starts servers of its own (make test-fast leaves it out).
pytestmark = pytest.mark.slow

# Per answer: compared apart.
OWN = {"date", "server", "connection", "age"}


def get(url: str, **headers) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def comparable(headers) -> dict:
    return {k.lower(): v for k, v in headers.items() if k.lower() not in OWN}


@pytest.fixture(scope="module")
def server():
    # One worker: the second request is surely served by the one that learnt.
    with served(
        workers=1, extra_env={"CORS_ALLOWED_ORIGINS": "https://doc.example"}
    ) as app:
        yield app


def test_a_kept_answer_is_the_same_as_through_django(server):
    url = f"{server.url}/api/v1/articles/{server.article_id}/"
    built = get(url)
    through_django = get(url)  # served from its entry by the middleware
    answers = [get(url) for _ in range(3)]  # at the WSGI layer
    assert built[0] == through_django[0] == 200
    for status, body, headers in answers:
        assert (status, body) == (200, built[1])
        assert comparable(headers) == comparable(through_django[2])
    assert "no" not in comparable(answers[0][2]).get("cache-control", "no")
    assert comparable(answers[0][2])["cache-control"] == "public, max-age=60"


def test_gzip_etag_and_304(server):
    url = f"{server.url}/api/v1/articles/?page_size=20"
    plain = get(url)
    for _ in range(3):
        status, body, headers = get(url, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == plain[1]
        assert headers["ETag"] == "W/" + plain[2]["ETag"]
        assert "Accept-Encoding" in headers["Vary"]
    for tag in (plain[2]["ETag"], "W/" + plain[2]["ETag"]):
        status, body, headers = get(url, **{"If-None-Match": tag})
        assert (status, body) == (304, b"")


def test_cors_answers_name_the_origin(server):
    url = f"{server.url}/api/v1/categories/"
    for _ in range(3):
        get(url)
    _, _, headers = get(url, Origin="https://doc.example")
    assert headers["Access-Control-Allow-Origin"] == "https://doc.example"
    _, _, headers = get(url, Origin="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in headers
    _, _, headers = get(url)
    assert "Access-Control-Allow-Origin" not in headers


def test_a_change_shows_on_the_next_request(server):
    url = f"{server.url}/api/v1/articles/{server.article_id}/"
    for _ in range(3):
        get(url)
    server.shell(
        "from articles.models import ArticlePage\n"
        f"page = ArticlePage.objects.get(pk={server.article_id})\n"
        "page.title = 'Tiêu đề mới'\n"
        "page.save_revision().publish()"
    )
    assert json.loads(get(url)[1])["title"] == "Tiêu đề mới"


def test_link_and_last_modified_follow_the_content(server):
    """A publish adds a page to a list: the kept answer's Link names the new
    last page and its Last-Modified moves, as Django's stack would say."""
    url = f"{server.url}/api/v1/articles/?page_size=1"
    for _ in range(3):
        _, _, before = get(url)
    assert '/?page_size=1>; rel="last"' in before["Link"]  # one page
    server.shell(
        "from datetime import datetime, UTC\n"
        "from articles.services import ArticleData, get_or_create_category, "
        "upsert_article\n"
        "category = get_or_create_category(name='Tin tức sự kiện')\n"
        "data = ArticleData(key='fast-path-link', title='Bài thứ hai', "
        "published_at=datetime.now(UTC), body=[])\n"
        "upsert_article(category=category, data=data)"
    )
    answers = [get(url) for _ in range(3)]  # built, then kept, then at WSGI
    for status, body, headers in answers:
        assert status == 200 and json.loads(body)["count"] == 2
        assert '/?page=2&page_size=1>; rel="last"' in headers["Link"]
        assert headers["Last-Modified"] == answers[0][2]["Last-Modified"]
