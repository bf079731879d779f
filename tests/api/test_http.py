"""ETag, Cache-Control and 304; CORS for the configured origins only."""

import pytest
from django.http import JsonResponse
from django.test import RequestFactory, override_settings

from api.caching import ApiCacheHeadersMiddleware
from tests.factories import make_article, vn_time

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"

PATHS = ["/api/v1/articles/", "/api/v1/categories/", "/api/v1/site/", "/api/v1/schema/"]
PATHS += ["/api/v1/articles/most-viewed/"]


@pytest.mark.parametrize("path", PATHS)
def test_cacheable_reads_carry_etag_and_answer_304(api, demo, path):
    first = api.get(path)
    again = api.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    other = api.get(path, HTTP_IF_NONE_MATCH='"something-else"')

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert other.status_code == 200


def test_max_age_comes_from_the_setting(api, demo, settings):
    settings.API_CACHE_MAX_AGE = 5
    assert "max-age=5" in api.get("/api/v1/articles/")["Cache-Control"]


def test_errors_are_not_cached(api, db):
    response = api.get("/api/v1/articles/999/")
    assert response.status_code == 404
    assert "ETag" not in response


def test_etag_changes_on_publish_edit_and_unpublish(api, category, committed):
    article = make_article(
        category=category, title="Một", published_at=vn_time(2020, 1, 1)
    )
    detail = f"/api/v1/articles/{article.pk}/"
    tags = [(api.get("/api/v1/articles/")["ETag"], api.get(detail)["ETag"])]

    with committed():
        make_article(category=category, title="Hai", published_at=vn_time(2020, 1, 2))
    tags.append((api.get("/api/v1/articles/")["ETag"], api.get(detail)["ETag"]))

    article.title = "Một (sửa)"
    with committed():
        article.save_revision().publish()
    tags.append((api.get("/api/v1/articles/")["ETag"], api.get(detail)["ETag"]))

    with committed():
        article.unpublish()
    tags.append((api.get("/api/v1/articles/")["ETag"], None))

    lists = [pair[0] for pair in tags]
    assert len(set(lists)) == 4
    assert tags[0][1] != tags[1][1]  # the newer link appeared
    assert tags[1][1] != tags[2][1]
    assert api.get(detail, HTTP_IF_NONE_MATCH=tags[2][1]).status_code == 404


def test_cors_for_allowed_origin_only(api, demo, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://portal.example.vn"]

    allowed = api.get("/api/v1/articles/", HTTP_ORIGIN="https://portal.example.vn")
    other = api.get("/api/v1/articles/", HTTP_ORIGIN="https://evil.example.com")
    preflight = api.options(
        "/api/v1/articles/",
        HTTP_ORIGIN="https://portal.example.vn",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    outside_api = api.get("/healthz/", HTTP_ORIGIN="https://portal.example.vn")

    assert allowed["Access-Control-Allow-Origin"] == "https://portal.example.vn"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in other
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://portal.example.vn"
    assert "Access-Control-Allow-Origin" not in outside_api


def test_no_cors_when_unset(api, demo, settings):
    settings.CORS_ALLOWED_ORIGINS = []
    response = api.get("/api/v1/articles/", HTTP_ORIGIN="https://portal.example.vn")
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.usefixtures("counting_store")
def test_counting_answers_are_never_cached(api, seed):
    views = f"/api/v1/articles/{seed.pk}/views/"
    first = api.post(views, HTTP_USER_AGENT=BROWSER)  # a new reader: cookie set
    known = api.post(views, HTTP_USER_AGENT=BROWSER, HTTP_X_VISITOR_ID="reader-01")
    visit = api.post("/api/v1/site/visits/", HTTP_USER_AGENT=BROWSER)
    missing = api.post("/api/v1/articles/999999/views/", HTTP_USER_AGENT=BROWSER)
    with override_settings(COUNTING_THROTTLE_RATE="1/min"):
        api.post(views, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.9")
        limited = api.post(views, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.9")

    assert "nd_visitor" in first.cookies
    assert [r.status_code for r in (first, known, visit, missing, limited)] == [
        200, 200, 200, 404, 429,
    ]  # fmt: skip
    for response in (first, known, visit, missing, limited):
        assert response["Cache-Control"] == "no-store"
        assert "ETag" not in response


@pytest.mark.usefixtures("counting_store")
def test_no_cacheable_answer_sets_the_visitor_cookie(api, seed):
    # A reader without a cookie, then with the one a count handed back.
    paths = [*PATHS, f"/api/v1/articles/{seed.pk}/", f"/api/v1/articles/{seed.pk}/"]
    before = [api.get(path) for path in paths]
    counted = api.post(f"/api/v1/articles/{seed.pk}/views/", HTTP_USER_AGENT=BROWSER)
    after = [api.get(path) for path in paths]

    assert "nd_visitor" in counted.cookies and "nd_visitor" in api.cookies
    for response in before + after:
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert not response.cookies, response.cookies.output()
        assert not response.has_header("Set-Cookie")


def test_a_read_that_sets_a_cookie_is_not_shared():
    # Defence in depth: should any view under /api/ ever set a cookie, a shared
    # cache must not store it and hand it to every reader.
    def view(request):
        response = JsonResponse({"ok": True})
        response.set_cookie("nd_visitor", "reader-0001")
        return response

    request = RequestFactory().get("/api/v1/articles/most-viewed/")
    response = ApiCacheHeadersMiddleware(view)(request)

    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response


def test_cross_origin_counting_may_send_the_visitor_header(api, db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://portal.example.vn"]
    preflight = api.options(
        "/api/v1/site/visits/",
        HTTP_ORIGIN="https://portal.example.vn",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-visitor-id",
    )

    assert preflight.status_code == 200
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "x-visitor-id" in preflight["Access-Control-Allow-Headers"]
    # A browser app may revalidate with its own If-None-Match.
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
