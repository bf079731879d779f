"""The sitemap index, the sitemaps and the Google News sitemap validate against
the sitemaps.org XSDs (tests/data/schemas/, written from the protocol), page
at the protocol's limit, point at the frontend and leave hidden articles out."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from lxml import etree

from api.sitemaps import ArticleSitemap
from tests.api.test_visibility import HIDDEN
from tests.factories import make_article, vn_time

INDEX = "/api/v1/sitemap.xml"
FRONTEND = "https://tin.example.vn"
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "schemas"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def _valid(api, url: str, schema: str) -> etree._Element:
    parts = urlsplit(url)
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    response = api.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    document = etree.fromstring(response.content)
    validator = _schema(schema)
    assert validator.validate(document), validator.error_log
    return document


def _sitemaps(api) -> list[str]:
    index = _valid(api, INDEX, "siteindex.xsd")
    return index.xpath("s:sitemap/s:loc/text()", namespaces=NS)


def _article_urls(api) -> list[str]:
    urls = []
    for sitemap in _sitemaps(api):
        if "/sitemaps/articles.xml" in sitemap:
            document = _valid(api, sitemap, "sitemap.xsd")
            urls += document.xpath("s:url/s:loc/text()", namespaces=NS)
    return urls


@pytest.fixture(autouse=True)
def frontend(settings):
    settings.FRONTEND_BASE_URL = FRONTEND


def _public(article) -> str:
    return f"{FRONTEND}/{article.get_parent().slug}/{article.slug}/"


def test_index_names_valid_sitemaps_of_frontend_urls_with_lastmod(
    api, category, other_category
):
    one = make_article(
        category=category, title="Bài một", published_at=vn_time(2024, 1, 1)
    )
    two = make_article(
        category=other_category, title="Bài hai", published_at=vn_time(2024, 1, 2)
    )
    sitemaps = _sitemaps(api)
    assert sitemaps == [
        "http://testserver/api/v1/sitemaps/articles.xml",
        "http://testserver/api/v1/sitemaps/categories.xml",
        "http://testserver/api/v1/sitemaps/news.xml",
    ]
    articles = _valid(api, sitemaps[0], "sitemap.xsd")
    rows = {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in articles.findall("s:url", NS)
    }
    listed = {a["id"]: a for a in api.get("/api/v1/articles/").json()["results"]}
    assert rows == {
        _public(one): listed[one.pk]["updated_at"],
        _public(two): listed[two.pk]["updated_at"],
    }
    categories = _valid(api, sitemaps[1], "sitemap.xsd")
    assert categories.xpath("s:url/s:loc/text()", namespaces=NS) == [
        f"{FRONTEND}/",
        f"{FRONTEND}/{category.slug}/",
        f"{FRONTEND}/{other_category.slug}/",
    ]


def test_articles_are_paged_at_the_limit(api, category, monkeypatch):
    # The protocol's limit is 50,000 URLs; the paging is the same at 2.
    assert ArticleSitemap.limit == 50_000
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [
        make_article(
            category=category, title=f"Bài {i}", published_at=vn_time(2024, 1, i)
        )
        for i in range(1, 6)
    ]
    pages = [url for url in _sitemaps(api) if "/sitemaps/articles.xml" in url]
    assert pages == [
        "http://testserver/api/v1/sitemaps/articles.xml",
        "http://testserver/api/v1/sitemaps/articles.xml?page=2",
        "http://testserver/api/v1/sitemaps/articles.xml?page=3",
    ]
    urls = _article_urls(api)
    assert len(urls) == 5
    assert sorted(urls) == sorted(_public(article) for article in articles)

    past = api.get("/api/v1/sitemaps/articles.xml", {"page": 4})
    assert past.status_code == 404
    assert past["Content-Type"] == "application/problem+json"
    assert list(past.json()["errors"]) == ["page"]
    for params in ({"page": 0}, {"page": "x"}, {"p": 2}):
        response = api.get("/api/v1/sitemaps/articles.xml", params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"


def test_news_sitemap_has_the_last_two_days_in_vietnamese(api, category):
    now = timezone.now()
    recent = make_article(
        category=category, title="Tin nóng", published_at=now - timedelta(hours=3)
    )
    make_article(
        category=category, title="Tin cũ", published_at=now - timedelta(days=3)
    )

    (news_url,) = [url for url in _sitemaps(api) if url.endswith("/news.xml")]
    document = _valid(api, news_url, "sitemap-with-news.xsd")
    (url,) = document.findall("s:url", NS)
    assert url.findtext("s:loc", namespaces=NS) == _public(recent)
    news = url.find("news:news", NS)
    assert news.findtext("news:title", namespaces=NS) == "Tin nóng"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "vi"
    assert news.findtext("news:publication/news:name", namespaces=NS)
    listed = api.get(f"/api/v1/articles/{recent.pk}/").json()
    assert (
        news.findtext("news:publication_date", namespaces=NS)
        == (listed["published_at"])
    )


@pytest.mark.parametrize("make_hidden", HIDDEN)
def test_hidden_articles_are_in_no_sitemap(
    api, category, make_hidden, django_capture_on_commit_callbacks
):
    shown = make_article(
        category=category, title="Bài công khai", published_at=timezone.now()
    )
    hidden = make_hidden(category)

    assert _article_urls(api) == [_public(shown)]
    for path in ("/api/v1/sitemaps/news.xml", "/api/v1/sitemaps/categories.xml"):
        assert f"/{hidden.slug}/" not in api.get(path).content.decode()


def test_sitemaps_refuse_unknown_parameters(api, db):
    for path in (INDEX, "/api/v1/sitemaps/categories.xml", "/api/v1/sitemaps/news.xml"):
        response = api.get(path, {"x": 1})
        assert response.status_code == 400
        assert response.json()["errors"] == {"x": ["Unknown query parameter."]}


def test_a_publish_shows_in_the_kept_sitemaps_at_once(
    api, category, settings, committed
):
    settings.API_RESPONSE_CACHE_SECONDS = 300  # kept answers, as in production
    first = make_article(
        category=category, title="Bài một", published_at=timezone.now()
    )
    assert _article_urls(api) == [_public(first)]
    kept = api.get("/api/v1/sitemaps/news.xml")
    assert (
        api.get(
            "/api/v1/sitemaps/news.xml", HTTP_IF_NONE_MATCH=kept["ETag"]
        ).status_code
        == 304
    )

    with committed():
        second = make_article(
            category=category, title="Bài hai", published_at=timezone.now()
        )
    assert sorted(_article_urls(api)) == sorted([_public(first), _public(second)])
    news = api.get("/api/v1/sitemaps/news.xml", HTTP_IF_NONE_MATCH=kept["ETag"])
    assert news.status_code == 200
    assert _public(second) in news.content.decode()
