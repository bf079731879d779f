"""Cached API answers: a change a reader could see shows on the next request;
view counts are at most ``API_RESPONSE_CACHE_SECONDS`` old; gzip on the wire."""

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import response_cache
from articles.models import ArticlePage
from articles.renditions import generate_api_renditions
from counters.models import PageViewCount
from tests.factories import make_article, make_category, make_image, vn_time

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
LIST = "/api/v1/articles/"


@pytest.fixture
def article(category):
    return make_article(
        category=category, title="Một", published_at=vn_time(2020, 1, 1)
    )


def titles(api) -> list[str]:
    return [item["title"] for item in api.get(LIST).json()["results"]]


def test_a_repeated_read_is_served_from_the_cache(api, article):
    detail = f"/api/v1/articles/{article.pk}/"
    first = api.get(detail)
    # A change made behind Wagtail's back (no publish) is not seen: cached.
    ArticlePage.objects.filter(pk=article.pk).update(title="Đổi ngầm")
    with CaptureQueriesContext(connection) as queries:
        again = api.get(detail)

    assert again.json()["title"] == "Một"
    assert again["ETag"] == first["ETag"]
    # At most the cache lookup itself (the database cache table without Redis).
    assert len(queries) <= 1


def test_publish_edit_unpublish_and_delete_show_on_the_next_request(
    api, category, article, committed
):
    detail = f"/api/v1/articles/{article.pk}/"
    assert titles(api) == ["Một"]
    assert api.get(detail).json()["title"] == "Một"

    with committed():
        make_article(category=category, title="Hai", published_at=vn_time(2020, 1, 2))
    assert titles(api) == ["Hai", "Một"]
    assert api.get(detail).json()["newer"]["title"] == "Hai"

    article.title = "Một (sửa)"
    with committed():
        article.save_revision().publish()
    assert titles(api) == ["Hai", "Một (sửa)"]
    assert api.get(detail).json()["title"] == "Một (sửa)"
    assert api.get(f"/api/v1/articles/slug/{article.slug}/").status_code == 200

    with committed():
        article.unpublish()
    assert titles(api) == ["Hai"]
    assert api.get(detail).status_code == 404

    with committed():
        ArticlePage.objects.get(title="Hai").delete()
    assert titles(api) == []


def test_a_move_shows_on_the_next_request(api, article, committed):
    other = make_category(title="Thông báo")
    detail = f"/api/v1/articles/{article.pk}/"
    assert api.get(detail).json()["category"]["slug"] == "tin-tuc-su-kien"

    with committed():
        article.move(other, pos="last-child")

    assert api.get(detail).json()["category"]["slug"] == "thong-bao"
    assert api.get(LIST, {"category": "thong-bao"}).json()["count"] == 1


def test_an_image_edit_shows_on_the_next_request(api, category, committed):
    image = make_image(title="Ảnh", caption="Cũ")
    generate_api_renditions(image)
    make_article(
        category=category,
        title="Ảnh bìa",
        published_at=vn_time(2020, 1, 1),
        feature_image=image,
    )
    assert api.get(LIST).json()["results"][0]["feature_image"]["caption"] == "Cũ"

    image.caption = "Mới"
    with committed():
        image.save()

    assert api.get(LIST).json()["results"][0]["feature_image"]["caption"] == "Mới"


@pytest.mark.usefixtures("counting_store")
def test_counts_are_at_most_the_cache_lifetime_old(api, article, settings, monkeypatch):
    settings.COUNTING_THROTTLE_RATE = ""
    settings.API_RESPONSE_CACHE_SECONDS = 30
    detail = f"/api/v1/articles/{article.pk}/"
    clock = [1_000_000.0]
    monkeypatch.setattr(response_cache, "_clock", lambda: clock[0])
    assert api.get(detail).json()["view_count"] == 0

    answered = api.post(
        f"/api/v1/articles/{article.pk}/views/",
        HTTP_USER_AGENT=BROWSER,
        HTTP_X_VISITOR_ID="reader-1",
    ).json()
    clock[0] += 29
    within = api.get(detail)
    clock[0] += 2  # past the lifetime
    after = api.get(detail)

    assert answered["view_count"] == 1
    assert within.json()["view_count"] == 0
    # HTTP caches are told how old it is, so they add nothing to it.
    assert within["Age"] == "29"
    assert after.json()["view_count"] == 1
    assert "Age" not in after


def test_no_server_cache_when_turned_off(api, article, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    detail = f"/api/v1/articles/{article.pk}/"
    api.get(LIST), api.get(detail)
    # Changes no signal announces: only a rebuilt answer can show them.
    ArticlePage.objects.filter(pk=article.pk).update(title="Đổi ngầm")
    PageViewCount.objects.update_or_create(page_id=article.pk, defaults={"views": 7})

    assert api.get(LIST).json()["results"][0]["title"] == "Đổi ngầm"
    assert api.get(detail).json()["view_count"] == 7


def test_etag_of_a_cached_answer_still_gives_304(api, article):
    first = api.get(LIST)
    cached = api.get(LIST)
    again = api.get(LIST, HTTP_IF_NONE_MATCH=cached["ETag"])

    assert first["ETag"] == cached["ETag"]
    assert again.status_code == 304


@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_a_kept_answer_looks_like_a_built_one(api, article, settings, encoding):
    settings.CORS_ALLOWED_ORIGINS = ["https://a.example.vn", "https://b.example.vn"]
    headers = {"HTTP_ACCEPT_ENCODING": encoding} if encoding else {}
    detail = f"/api/v1/articles/{article.pk}/"
    built = api.get(detail, HTTP_ORIGIN="https://a.example.vn", **headers)
    with CaptureQueriesContext(connection) as queries:
        kept = api.get(detail, HTTP_ORIGIN="https://b.example.vn", **headers)
    no_origin = api.get(detail, **headers)

    def shown(response):
        # Content-Language: the language asked for, which the body ignores;
        # Content-Length: Django's gzip adds random bytes, so it differs.
        left_out = {"age", "content-language", "content-length", "vary"}
        return {
            k: v
            for k, v in response.items()
            if k.lower() not in left_out and not k.lower().startswith("access-")
        }

    def body(response):
        if encoding:
            return gzip.decompress(response.content)
        return response.content

    assert len(queries) <= 1  # served from the cache
    assert body(kept) == body(built)
    assert shown(kept) == shown(built) == shown(no_origin)
    assert int(kept["Content-Length"]) == len(kept.content)
    assert set(kept["Vary"].split(", ")) == set(built["Vary"].split(", "))
    # Each reader's origin, never the one the answer was built for.
    assert built["Access-Control-Allow-Origin"] == "https://a.example.vn"
    assert kept["Access-Control-Allow-Origin"] == "https://b.example.vn"
    assert "Access-Control-Allow-Origin" not in no_origin
    assert (
        kept["Access-Control-Expose-Headers"] == built["Access-Control-Expose-Headers"]
    )


# --- Compression -----------------------------------------------------------


@pytest.fixture
def twenty(category):
    image = make_image(title="Ảnh bìa", caption="Quang cảnh hội nghị")
    generate_api_renditions(image)
    for n in range(20):
        article = make_article(
            category=category,
            title=f"Hội nghị chuyên đề công tác kết nạp đảng viên số {n}",
            published_at=vn_time(2020, 1, 1, 0, n),
            feature_image=image,
            excerpt="Vừa qua, Ban thường vụ Quận ủy đã tổ chức hội nghị với sự tham "
            "dự của đại diện các chi bộ, đảng bộ cơ sở trên địa bàn quận.",
        )
        article.tags.add("Quận 11", "Hội nghị")
        article.save_revision().publish()


@pytest.mark.parametrize("cached", [False, True])
def test_a_list_of_twenty_is_gzipped_under_8_kb(api, twenty, settings, cached):
    if not cached:
        settings.API_RESPONSE_CACHE_SECONDS = 0
    api.get(LIST)
    plain = api.get(LIST)
    packed = api.get(LIST, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(plain.json()["results"]) == 20
    assert len(packed.content) <= 8 * 1024 < len(plain.content)
    # A revalidation with the compressed answer's tag is a 304 too.
    again = api.get(
        LIST, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]
    )
    assert again.status_code == 304


def test_pages_outside_the_api_are_not_gzipped(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
