"""The page routes (cms.reader_site): the reader's shell or a redirect to the
reader, never Wagtail's own pages, so nothing the API hides is served."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from articles.models import ArticlePage
from tests.api.test_visibility import HIDDEN, SECRET
from tests.factories import make_article

pytestmark = pytest.mark.django_db

READER = "https://quan11.example.vn"


def _dated_ahead(category):
    article = make_article(category=category, title=SECRET)
    ArticlePage.objects.filter(pk=article.pk).update(
        published_at=timezone.now() + timedelta(hours=1)
    )
    return article


def shell() -> bytes:
    return (settings.READER_ROOT / "index.html").read_bytes()


@pytest.mark.parametrize("make_hidden", [*HIDDEN, _dated_ahead])
def test_no_page_route_serves_what_the_api_hides(client, category, make_hidden):
    hidden = make_hidden(category)
    hidden.refresh_from_db()
    section = hidden.get_parent()

    for path in (
        f"/{section.slug}/{hidden.slug}/",
        f"/{section.slug}/",
        "/",
        f"/the/{SECRET}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content == shell(), path
        assert SECRET.encode() not in response.content


def test_pages_link_to_their_reader_routes(category):
    article = make_article(category=category, title="Hội nghị chuyên đề")

    assert article.url == f"/{category.slug}/{article.slug}/"
    assert category.url == f"/{category.slug}/"


def test_the_reader_files_are_served_at_the_root(client):
    script = client.get("/js/app.js")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("text/javascript")

    page = client.get("/tin-tuc-su-kien/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert page["Cache-Control"] == "no-cache"


def test_the_preview_route_may_be_framed_by_the_admin_and_is_never_kept(client):
    response = client.get("/preview", {"token": "abc"})

    assert response.status_code == 200
    assert response.content == shell()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_servers_own_paths_are_untouched(client):
    assert client.get("/admin")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 302  # to the admin's login
    missing = client.get("/api/v1/nothing-here/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert client.get("/healthz/").status_code == 200
    assert client.get("/static/nothing.css").status_code == 404


def test_redirects_set_by_editors_still_apply(client, category):
    article = make_article(category=category, title="Hội nghị chuyên đề")
    Redirect.objects.create(old_path="/tin-cu/bai-123", redirect_page=article)

    response = client.get("/tin-cu/bai-123/")

    assert response.status_code == 301
    assert response["Location"] == article.url


def test_without_the_reader_here_page_routes_redirect_to_it(client, settings):
    settings.SERVE_READER = False
    settings.FRONTEND_BASE_URL = READER

    response = client.get("/tin-tuc-su-kien/", {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"{READER}/tin-tuc-su-kien/?page=2"
    assert client.get("/")["Location"] == f"{READER}/"


def test_without_any_reader_page_routes_are_not_found(client, settings):
    settings.SERVE_READER = False
    settings.FRONTEND_BASE_URL = ""

    assert client.get("/tin-tuc-su-kien/").status_code == 404
    assert client.post("/").status_code == 405
