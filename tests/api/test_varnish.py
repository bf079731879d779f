"""The cache tier for real: varnishd with deploy/varnish/default.vcl in front
of a real gunicorn (``harness.varnish``, ``harness.server``).

Answers are shared and kept (a second read is a Varnish hit) for the
Cache-Control's max-age (60 s here), yet a publish, an edit, a move, an
unpublish or a delete made by another process (a command, as the admin or an
import would) shows through Varnish within 1 s on every URL showing it: the
app purges the content key (api.purge). Counting POSTs reach the app every
time.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from harness.server import free_port, served
from harness.varnish import varnish_child

pytestmark = pytest.mark.varnish

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
FRESH_WITHIN = 1.0


@contextmanager
def tier(**env):
    varnish_port = free_port()
    app_env = {"VARNISH_PURGE_URLS": f"http://127.0.0.1:{varnish_port}/", **env}
    with served(workers=2, extra_env=app_env) as app:
        app_port = int(app.url.rsplit(":", 1)[1])
        with varnish_child(
            backends=[("127.0.0.1", app_port)], port=varnish_port
        ) as cache:
            yield app, cache


def get(url: str, **headers) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER, **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), dict(error.headers)


def post_view(base: str, article_id: int, visitor: str) -> tuple[dict, dict]:
    request = urllib.request.Request(
        f"{base}/api/v1/articles/{article_id}/views/",
        method="POST",
        headers={"User-Agent": BROWSER, "X-Visitor-Id": visitor},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read()), dict(response.headers)


def warm(base: str, urls: list[str]) -> None:
    """Each URL read twice through Varnish: the second read is a hit."""
    for url in urls:
        get(base + url)
        status, _, headers = get(base + url)
        assert headers["X-Cache"] == "HIT", (url, status)


def shows_within(base: str, url: str, seen, seconds: float = FRESH_WITHIN):
    """Poll ``url`` through Varnish until ``seen(status, body)``; the last
    answer if it never did within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        status, body, _ = get(base + url)
        if seen(status, body) or time.monotonic() > deadline:
            return status, body
        time.sleep(0.05)


def titles(body: dict) -> list[str]:
    return [article["title"] for article in body.get("results", [])]


def search(text: str) -> str:
    return "/api/v1/articles/?search=" + urllib.parse.quote(text)


def test_changes_show_through_varnish_at_once_on_every_url():
    with tier() as (app, cache):
        base = cache.url
        first = app.article_id
        _, detail, headers = get(f"{base}/api/v1/articles/{first}/")
        assert "xkey" not in {name.lower() for name in headers}
        assert "max-age=60" in headers["Cache-Control"]
        slug = detail["slug"]
        category = detail["category"]["slug"]
        other = app.shell(
            "from articles.services import get_or_create_category\n"
            "print(get_or_create_category(name='Thông báo').slug)"
        ).split()[-1]

        # A publish: a new article in the category.
        lists = [
            "/api/v1/articles/",
            f"/api/v1/articles/?category={category}",
            f"/api/v1/categories/{category}/",
            search("xuất bản mới"),
        ]
        warm(base, lists)
        app.shell(
            "from datetime import datetime, UTC\n"
            "from articles.services import ArticleData, get_or_create_category,"
            " upsert_article\n"
            "category = get_or_create_category(name='Tin tức sự kiện')\n"
            "data = ArticleData(key='second', title='Bài xuất bản mới',"
            " published_at=datetime.now(UTC), body=[])\n"
            "upsert_article(category=category, data=data)"
        )
        for url in lists[:2]:
            _, body = shows_within(
                base, url, lambda s, b: "Bài xuất bản mới" in titles(b)
            )
            assert titles(body)[0] == "Bài xuất bản mới", url
        _, body = shows_within(base, lists[2], lambda s, b: b["article_count"] == 2)
        assert body["article_count"] == 2
        _, body = shows_within(base, lists[3], lambda s, b: titles(b))
        assert titles(body) == ["Bài xuất bản mới"]
        second = get(f"{base}/api/v1/articles/")[1]["results"][0]["id"]

        # An edit of the first article: its title everywhere.
        urls = [
            f"/api/v1/articles/{first}/",
            f"/api/v1/articles/slug/{slug}/",
            f"/api/v1/articles/?category={category}",
            search("đã sửa"),
        ]
        warm(base, urls)
        app.shell(
            "from articles.models import ArticlePage\n"
            f"page = ArticlePage.objects.get(pk={first})\n"
            "page.title = 'Bài đo tải đã sửa'\n"
            "page.save_revision().publish()"
        )
        for url in urls[:2]:
            _, body = shows_within(
                base, url, lambda s, b: b.get("title") == "Bài đo tải đã sửa"
            )
            assert body["title"] == "Bài đo tải đã sửa", url
        for url in urls[2:]:
            _, body = shows_within(
                base, url, lambda s, b: "Bài đo tải đã sửa" in titles(b)
            )
            assert "Bài đo tải đã sửa" in titles(body), url

        # A move of the first article to the other category.
        urls = [
            f"/api/v1/articles/{first}/",
            f"/api/v1/articles/?category={category}",
            f"/api/v1/categories/{other}/",
        ]
        warm(base, urls)
        app.shell(
            "from articles.models import ArticlePage, CategoryPage\n"
            f"page = ArticlePage.objects.get(pk={first})\n"
            f"page.move(CategoryPage.objects.get(slug='{other}'), pos='last-child')"
        )
        _, body = shows_within(
            base, urls[0], lambda s, b: b["category"]["slug"] == other
        )
        assert body["category"]["slug"] == other
        _, body = shows_within(
            base, urls[1], lambda s, b: titles(b) == ["Bài xuất bản mới"]
        )
        assert titles(body) == ["Bài xuất bản mới"]
        _, body = shows_within(base, urls[2], lambda s, b: b["article_count"] == 1)
        assert body["article_count"] == 1

        # An unpublish of the second article.
        urls = [f"/api/v1/articles/{second}/", "/api/v1/articles/"]
        warm(base, urls)
        app.shell(
            "from articles.models import ArticlePage\n"
            f"ArticlePage.objects.get(pk={second}).unpublish()"
        )
        status, _ = shows_within(base, urls[0], lambda s, b: s == 404)
        assert status == 404
        _, body = shows_within(
            base, urls[1], lambda s, b: "Bài xuất bản mới" not in titles(b)
        )
        assert titles(body) == ["Bài đo tải đã sửa"]

        # A delete of the first article.
        urls = [
            f"/api/v1/articles/{first}/",
            "/api/v1/articles/",
            f"/api/v1/categories/{other}/",
        ]
        warm(base, urls)
        app.shell(
            "from articles.models import ArticlePage\n"
            f"ArticlePage.objects.get(pk={first}).delete()"
        )
        status, _ = shows_within(base, urls[0], lambda s, b: s == 404)
        assert status == 404
        _, body = shows_within(base, urls[1], lambda s, b: b["count"] == 0)
        assert body["count"] == 0
        _, body = shows_within(base, urls[2], lambda s, b: b["article_count"] == 0)
        assert body["article_count"] == 0


def test_counting_posts_pass_and_counts_are_at_most_max_age_old():
    with tier(API_CACHE_MAX_AGE="2") as (app, cache):
        base, article = cache.url, app.article_id
        counts = []
        for n in range(3):
            body, headers = post_view(base, article, f"reader-{n:03}")
            assert "no-store" in headers["Cache-Control"]
            counts.append(body["view_count"])
        assert counts == [1, 2, 3]  # each POST reached the app

        url = f"{base}/api/v1/articles/{article}/"
        get(url)
        _, body, headers = get(url)
        assert headers["X-Cache"] == "HIT"
        assert int(headers.get("Age", 0)) <= 2
        post_view(base, article, "reader-late")
        # Not purged by a count: the kept answer lasts its max-age, no more.
        _, body = shows_within(
            base, url[len(base) :], lambda s, b: b["view_count"] == 4, 3.5
        )
        assert body["view_count"] == 4


def test_the_app_host_may_purge_and_a_missing_varnish_breaks_no_publish():
    with tier() as (app, cache):
        request = urllib.request.Request(
            cache.url + "/", method="PURGE", headers={"xkey-purge": "x"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200  # loopback is in the purgers ACL
        # A reader's PURGE forwarded by a proxy in front (on loopback here).
        for forwarded in ({"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "x"}):
            request = urllib.request.Request(
                cache.url + "/",
                method="PURGE",
                headers={"xkey-purge": "newsdesk-content", **forwarded},
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=5)
            assert refused.value.code == 403
    # Varnish gone: a publish still succeeds (the purge is logged, not raised).
    port = free_port()
    with served(
        workers=1, extra_env={"VARNISH_PURGE_URLS": f"http://127.0.0.1:{port}/"}
    ) as app:
        out = app.shell(
            "from articles.models import ArticlePage\n"
            f"page = ArticlePage.objects.get(pk={app.article_id})\n"
            "page.title = 'Sửa khi Varnish tắt'\n"
            "page.save_revision().publish()\n"
            "print('published')"
        )
        assert out.split()[-1] == "published"
        _, body, _ = get(f"{app.url}/api/v1/articles/{app.article_id}/")
        assert body["title"] == "Sửa khi Varnish tắt"


def test_an_https_answer_is_never_served_to_a_plain_client():
    """The app names its own absolute URLs (the next page) with the scheme it
    was asked on (X-Forwarded-Proto from the TLS proxy): Varnish keeps one
    answer per scheme (issue 22)."""
    with tier() as (app, cache):
        app.shell(
            "from datetime import datetime, UTC\n"
            "from articles.services import ArticleData, get_or_create_category,"
            " upsert_article\n"
            "category = get_or_create_category(name='Tin tức sự kiện')\n"
            "data = ArticleData(key='second', title='Bài thứ hai',"
            " published_at=datetime.now(UTC), body=[])\n"
            "upsert_article(category=category, data=data)"
        )
        page = f"{cache.url}/api/v1/articles/?page_size=1"

        _, secure, _ = get(page, **{"X-Forwarded-Proto": "https"})
        _, plain, headers = get(page)
        _, secure_again, again = get(page, **{"X-Forwarded-Proto": "https"})

        assert secure["next"].startswith("https://")
        assert plain["next"].startswith("http://")
        assert headers["X-Cache"] == "MISS"
        assert secure_again["next"].startswith("https://")
        assert again["X-Cache"] == "HIT"
