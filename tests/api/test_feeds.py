"""The RSS 2.0 and JSON Feed 1.1 feeds, as feed readers read them: feedparser
reads the RSS, the JSON Feed validates against the JSON Feed 1.1 schema
(tests/data/schemas/, written from the specification)."""

import json
from datetime import timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest
from django.utils import timezone

from articles.renditions import generate_api_renditions
from tests.api.test_visibility import HIDDEN, SECRET
from tests.factories import make_article, make_category, make_image, vn_time

RSS = "/api/v1/feeds/articles.rss"
JSON_FEED = "/api/v1/feeds/articles.json"
FRONTEND = "https://tin.example.vn"
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "schemas"


@pytest.fixture
def frontend(settings):
    settings.FRONTEND_BASE_URL = FRONTEND


@pytest.fixture
def articles(category, other_category):
    image = make_image(title="Ảnh hội nghị")
    generate_api_renditions(image)
    first = make_article(
        category=category,
        title="Hội nghị chuyên đề kết nạp đảng viên",
        excerpt="Ban thường vụ Quận ủy đã tổ chức hội nghị.",
        published_at=vn_time(2024, 1, 5, 8, 0),
        feature_image=image,
    )
    first.tags.add("Đảng")
    first.save_revision().publish()
    second = make_article(
        category=other_category,
        title="Lịch tiếp công dân",
        published_at=vn_time(2024, 1, 6, 9, 30),
    )
    return {"first": first, "second": second, "image": image}


def _json_feed(api, path=JSON_FEED, **params) -> dict:
    response = api.get(path, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json"
    document = json.loads(response.content)
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text())
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    return document


def test_feedparser_reads_the_rss_with_frontend_links_and_images(
    api, frontend, articles
):
    response = api.get(RSS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"

    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.language == "vi"
    assert feed.feed.link == f"{FRONTEND}/"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Lịch tiếp công dân", "Hội nghị chuyên đề kết nạp đảng viên"]
    newest, older = feed.entries
    assert newest.link == f"{FRONTEND}{articles['second'].url_path[len('/home') :]}"
    assert older.link.startswith(f"{FRONTEND}/")
    assert older.summary == "Ban thường vụ Quận ủy đã tổ chức hội nghị."
    assert older.published_parsed[:5] == (2024, 1, 5, 1, 0)  # 08:00 +07:00
    assert {tag.term for tag in older.tags} == {"Tin tức sự kiện", "Đảng"}
    summary = api.get("/api/v1/articles/").json()["results"][1]
    large = summary["feature_image"]["renditions"]["large"]
    (enclosure,) = older.enclosures
    assert enclosure.href == large["url"]
    assert enclosure.type == "image/jpeg"
    (media,) = older.media_content
    assert media["url"] == large["url"]
    assert (media["width"], media["height"]) == (
        str(large["width"]),
        str(large["height"]),
    )
    assert not newest.get("enclosures")


def test_json_feed_validates_and_says_what_the_list_says(api, frontend, articles):
    document = _json_feed(api)

    listed = api.get("/api/v1/articles/").json()["results"]
    assert document["language"] == "vi"
    assert document["home_page_url"] == f"{FRONTEND}/"
    assert document["feed_url"] == f"http://testserver{JSON_FEED}"
    assert [item["title"] for item in document["items"]] == [
        summary["title"] for summary in listed
    ]
    item, summary = document["items"][1], listed[1]
    assert item["url"] == f"{FRONTEND}{summary['url']}"
    assert item["content_text"] == summary["excerpt"]
    assert item["date_published"] == summary["published_at"]
    assert item["date_modified"] == summary["updated_at"]
    assert item["image"] == summary["feature_image"]["renditions"]["large"]["url"]
    assert item["tags"] == ["Tin tức sự kiện", "Đảng"]
    assert "image" not in document["items"][0]


def test_a_category_feed_has_its_articles_only(api, frontend, articles, other_category):
    document = _json_feed(api, category=other_category.slug)
    assert [item["title"] for item in document["items"]] == ["Lịch tiếp công dân"]
    assert document["home_page_url"] == f"{FRONTEND}/{other_category.slug}/"
    assert other_category.title in document["title"]

    feed = feedparser.parse(api.get(RSS, {"category": other_category.slug}).content)
    assert [entry.title for entry in feed.entries] == ["Lịch tiếp công dân"]


@pytest.mark.parametrize("path", [RSS, JSON_FEED])
def test_unknown_or_hidden_category_is_404_and_bad_parameters_400(api, articles, path):
    hidden = make_category(title="Lưu trữ")
    hidden.unpublish()
    for slug in ("khong-co", hidden.slug):
        response = api.get(path, {"category": slug})
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"

    for params, name in (({"page": 2}, "page"), ({"category": ""}, "category")):
        response = api.get(path, params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert list(response.json()["errors"]) == [name]


@pytest.mark.parametrize("make_hidden", HIDDEN)
def test_hidden_articles_are_in_no_feed(
    api, category, make_hidden, django_capture_on_commit_callbacks
):
    make_article(
        category=category, title="Bài công khai", published_at=vn_time(2024, 1, 1)
    )
    hidden = make_hidden(category)

    document = _json_feed(api)
    assert [item["title"] for item in document["items"]] == ["Bài công khai"]
    rss = api.get(RSS).content.decode()
    assert SECRET not in rss
    category_slug = hidden.get_parent().slug
    for path in (RSS, JSON_FEED):
        body = api.get(path, {"category": category_slug}).content.decode()
        assert SECRET not in body


def test_feed_holds_the_latest_articles_only(api, category, monkeypatch):
    from api import feeds

    monkeypatch.setattr(feeds, "FEED_LENGTH", 3)
    for day in range(1, 6):
        make_article(
            category=category, title=f"Ngày {day}", published_at=vn_time(2024, 1, day)
        )
    document = _json_feed(api)
    assert [item["title"] for item in document["items"]] == [
        "Ngày 5",
        "Ngày 4",
        "Ngày 3",
    ]


def test_a_publish_shows_in_the_cached_feed_at_once(api, category, settings, committed):
    settings.API_RESPONSE_CACHE_SECONDS = 300  # kept answers, as in production
    make_article(category=category, title="Bài cũ", published_at=vn_time(2024, 1, 1))
    first = api.get(RSS)
    assert api.get(RSS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (
        api.get(RSS, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    )

    with committed():
        make_article(
            category=category,
            title="Bài mới",
            published_at=timezone.now() - timedelta(minutes=1),
        )
    again = api.get(RSS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert [e.title for e in feedparser.parse(again.content).entries] == [
        "Bài mới",
        "Bài cũ",
    ]
    assert again["Cache-Control"] == first["Cache-Control"]
