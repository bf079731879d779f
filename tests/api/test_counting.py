"""The counting endpoints over HTTP (Django test client)."""

import pytest
from django.test import override_settings
from wagtail.models import PageViewRestriction, Site

from counters.services import raise_view_count
from tests.factories import make_article

pytestmark = pytest.mark.usefixtures("counting_store")

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def article(category):
    return make_article(category=category, title="Hội nghị chuyên đề")


def post(client, url, visitor=None, agent=BROWSER, **extra):
    headers = {"HTTP_USER_AGENT": agent, **extra}
    if visitor:
        headers["HTTP_X_VISITOR_ID"] = visitor
    return client.post(url, **headers)


def views_url(article_id):
    return f"/api/v1/articles/{article_id}/views/"


def test_a_view_is_counted_once_per_visitor(client, article):
    raise_view_count(page=article, at_least=3191)
    first = post(client, views_url(article.pk), visitor="reader-0001")
    assert first.status_code == 200
    assert first.json() == {"view_count": 3192, "counted": True}
    again = post(client, views_url(article.pk), visitor="reader-0001")
    assert again.json() == {"view_count": 3192, "counted": False}
    other = post(client, views_url(article.pk), visitor="reader-0002")
    assert other.json() == {"view_count": 3193, "counted": True}


def test_the_cookie_is_set_when_missing_and_then_identifies(client, article):
    first = post(client, views_url(article.pk))
    assert first.json()["counted"] is True
    cookie = first.cookies["nd_visitor"]
    assert cookie.value and cookie["samesite"] == "Lax" and not cookie["httponly"]
    assert int(cookie["max-age"]) >= 300 * 24 * 3600
    # The test client sends it back: the same visitor, not counted again,
    # and no new cookie needed.
    again = post(client, views_url(article.pk))
    assert again.json() == {"view_count": 1, "counted": False}
    assert "nd_visitor" not in again.cookies


def test_without_cookies_the_address_and_agent_identify(client, article):
    first = post(client, views_url(article.pk))
    client.cookies.clear()
    assert post(client, views_url(article.pk)).json()["counted"] is False
    client.cookies.clear()
    other_agent = post(client, views_url(article.pk), agent="Mozilla/5.0 Safari/605")
    assert other_agent.json() == {"view_count": 2, "counted": True}
    assert first.status_code == 200


def test_bots_and_editors_are_not_counted(client, editor_client, article):
    bot = post(client, views_url(article.pk), agent="Googlebot/2.1")
    assert bot.json() == {"view_count": 0, "counted": False}
    empty = post(client, views_url(article.pk), agent="")
    assert empty.json()["counted"] is False
    editor = post(editor_client, views_url(article.pk), visitor="editor-0001")
    assert editor.json() == {"view_count": 0, "counted": False}


def test_unknown_and_hidden_articles_are_404(client, category):
    draft = make_article(category=category, title="Bản nháp", publish=False)
    private = make_article(category=category, title="Nội bộ")
    PageViewRestriction.objects.create(
        page=private, restriction_type="password", password="x"
    )
    unpublished = make_article(category=category, title="Đã gỡ")
    unpublished.unpublish()
    for article_id in (draft.pk, private.pk, unpublished.pk, 999999, 2**40):
        response = post(client, views_url(article_id))
        assert response.status_code == 404, article_id
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404
    assert post(client, views_url(category.pk)).status_code == 404  # not an article


def test_other_methods_are_405(client, article):
    for method in ("get", "put", "delete"):
        response = getattr(client, method)(views_url(article.pk))
        assert response.status_code == 405
        assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/site/visits/").status_code == 405
    assert client.post("/api/v1/articles/most-viewed/").status_code == 405


def test_counting_is_rate_limited_per_address(client, article):
    with override_settings(COUNTING_THROTTLE_RATE="3/min"):
        codes = [
            post(client, views_url(article.pk), visitor=f"reader-{n:04}").status_code
            for n in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        limited = post(client, views_url(article.pk), visitor="reader-0009")
        assert limited["Content-Type"] == "application/problem+json"
        assert int(limited["Retry-After"]) > 0
        assert limited.json()["status"] == 429
        # Another address is not limited.
        other = post(client, views_url(article.pk), REMOTE_ADDR="192.0.2.44")
        assert other.status_code == 200
    # The limited requests were not counted.
    assert post(client, views_url(article.pk), visitor="r-final-1").json() == {
        "view_count": 5,
        "counted": True,
    }


def test_site_visits(client):
    first = post(client, "/api/v1/site/visits/", visitor="reader-0001")
    assert first.json() == {"visit_count": 1, "counted": True}
    assert post(client, "/api/v1/site/visits/", visitor="reader-0001").json() == {
        "visit_count": 1,
        "counted": False,
    }
    assert Site.objects.count() == 1


def test_most_viewed(client, category, other_category):
    a = make_article(category=category, title="Bài A")
    b = make_article(category=other_category, title="Bài B", excerpt="Tóm tắt B")
    hidden = make_article(category=category, title="Bài ẩn")
    raise_view_count(page=a, at_least=100)  # the legacy base, before any view
    for n in range(3):
        post(client, views_url(b.pk), visitor=f"reader-b{n:03}")
    post(client, views_url(a.pk), visitor="reader-a001")
    for n in range(9):
        post(client, views_url(hidden.pk), visitor=f"reader-h{n:03}")
    hidden.unpublish()

    response = client.get("/api/v1/articles/most-viewed/")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "week"
    assert [(r["id"], r["period_views"]) for r in body["results"]] == [
        (b.pk, 3),
        (a.pk, 1),
    ]
    top = body["results"][0]
    assert top["title"] == "Bài B" and top["excerpt"] == "Tóm tắt B"
    assert top["category"] == {
        "id": other_category.pk,
        "slug": other_category.slug,
        "name": "Thông báo",
    }
    assert top["view_count"] == 3 and top["url"].endswith(f"/{b.slug}/")

    every = client.get("/api/v1/articles/most-viewed/", {"period": "all"}).json()
    assert [(r["id"], r["period_views"]) for r in every["results"]] == [
        (a.pk, 101),
        (b.pk, 3),
    ]
    only = client.get(
        "/api/v1/articles/most-viewed/", {"category": category.slug, "limit": 1}
    ).json()
    assert [r["id"] for r in only["results"]] == [a.pk]


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"period": "year"}, "period"),
        ({"limit": "0"}, "limit"),
        ({"limit": "51"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"category": "bad slug!"}, "category"),
        ({"page": "2"}, "page"),  # unknown parameters are refused, as on lists
    ],
)
def test_most_viewed_names_bad_parameters(client, category, params, bad):
    response = client.get("/api/v1/articles/most-viewed/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [bad]


def test_most_viewed_unknown_category_is_404_as_on_the_list(client, category):
    # The read API answers ?category= naming no visible category with 404 (an
    # unknown thing), not 400; most-viewed does the same.
    for path in ("/api/v1/articles/most-viewed/", "/api/v1/articles/"):
        response = client.get(path, {"category": "khong-co"})
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert "khong-co" in response.json()["detail"]
