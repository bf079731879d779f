"""GET /api/v1/articles/, /articles/{id}/, /articles/slug/{slug}/: the contract."""

import re

import pytest
from wagtail.rich_text import RichText

from articles.renditions import generate_api_renditions
from counters.services import raise_view_count
from tests.factories import make_article, make_image, vn_time

SUMMARY_FIELDS = {
    "id", "slug", "url", "title", "excerpt", "category", "tags", "published_at",
    "updated_at", "feature_image", "view_count",
}  # fmt: skip
ARTICLE_FIELDS = SUMMARY_FIELDS | {
    "body", "body_html", "newer", "older", "related", "seo",
}  # fmt: skip


def test_list_answers_summaries_newest_first_in_site_time(api, demo):
    response = api.get("/api/v1/articles/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 5
    assert data["next"] is None and data["previous"] is None
    assert all(set(item) == SUMMARY_FIELDS for item in data["results"])
    dates = [item["published_at"] for item in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2017-05-06T07:00:00+07:00"
    assert "body" not in data["results"][0]


def test_seed_article_summary(api, seed):
    raise_view_count(page=seed, at_least=3191)
    data = api.get("/api/v1/articles/", {"category": "tin-tuc-su-kien"}).json()

    item = next(item for item in data["results"] if item["id"] == seed.pk)
    assert item["slug"] == seed.slug
    assert item["url"] == f"/tin-tuc-su-kien/{seed.slug}/"
    assert item["published_at"] == "2017-04-21T08:25:00+07:00"
    assert item["category"] == {
        "id": seed.get_parent().pk,
        "slug": "tin-tuc-su-kien",
        "name": "Tin tức sự kiện",
    }
    assert item["tags"] == ["đảng viên"]
    assert item["view_count"] == 3191
    assert item["excerpt"].startswith("Vừa qua, Ban thường vụ Quận ủy")
    # UTF-8, not \\u escapes
    assert "Hội nghị".encode() in api.get("/api/v1/articles/").content


def test_image_object_has_absolute_urls_and_three_renditions(api, seed):
    image = api.get(f"/api/v1/articles/{seed.pk}/").json()["feature_image"]

    assert image["url"].startswith("http://testserver/media/original_images/")
    assert image["caption"] == "Quang cảnh hội nghị"
    assert set(image) == {
        "id", "url", "width", "height", "alt", "caption", "credit", "renditions",
    }  # fmt: skip
    sizes = image["renditions"]
    assert set(sizes) == {"thumbnail", "medium", "large"}
    assert (sizes["thumbnail"]["width"], sizes["thumbnail"]["height"]) == (400, 300)
    assert max(sizes["medium"]["width"], sizes["medium"]["height"]) <= 800
    assert all(
        size["url"].startswith("http://testserver/media/") for size in sizes.values()
    )


def test_pagination(api, category):
    for day in range(1, 8):
        make_article(
            category=category, title=f"Bài {day}", published_at=vn_time(2020, 1, day)
        )

    first = api.get("/api/v1/articles/", {"page_size": 3}).json()
    third = api.get("/api/v1/articles/", {"page_size": 3, "page": 3}).json()

    assert first["count"] == 7
    assert [item["title"] for item in first["results"]] == ["Bài 7", "Bài 6", "Bài 5"]
    assert "page=2" in first["next"] and first["previous"] is None
    assert [item["title"] for item in third["results"]] == ["Bài 1"]
    assert third["next"] is None


def test_default_page_size_is_20(api, category):
    for n in range(21):
        make_article(
            category=category, title=f"Bài {n}", published_at=vn_time(2020, 1, 1, 0, n)
        )
    assert len(api.get("/api/v1/articles/").json()["results"]) == 20
    assert len(api.get("/api/v1/articles/", {"page_size": 100}).json()["results"]) == 21


def test_filters_category_tag_and_dates(api, demo):
    def titles(**params):
        return {
            item["title"]
            for item in api.get("/api/v1/articles/", params).json()["results"]
        }

    assert titles(category="thong-bao") == {
        "Lịch tiếp công dân của lãnh đạo UBND quận tháng 5/2017",
        "Thông báo nghỉ lễ 30/4 và 1/5 năm 2017",
    }
    assert titles(tag="hiến máu") == {"Ngày hội hiến máu tình nguyện đợt 2 năm 2017"}
    assert titles(published_after="2017-04-28") == {
        "Lịch tiếp công dân của lãnh đạo UBND quận tháng 5/2017",
        "Ngày hội hiến máu tình nguyện đợt 2 năm 2017",
    }
    assert titles(published_before="2017-04-21T08:25:00+07:00") == {
        "Quận 11 tổ chức hội thảo chuyển đổi số trong cải cách hành chính"
    }
    assert titles(published_after="2017-04-21", published_before="2017-04-25") == {
        "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”",
        "Thông báo nghỉ lễ 30/4 và 1/5 năm 2017",
    }


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("published_at", ["A", "B", "C"]),
        ("-published_at", ["C", "B", "A"]),
        ("title", ["A", "B", "C"]),
        ("-title", ["C", "B", "A"]),
        ("-view_count", ["B", "C", "A"]),
        ("view_count", ["A", "C", "B"]),
    ],
)
def test_ordering(api, category, ordering, expected):
    a = make_article(category=category, title="A", published_at=vn_time(2020, 1, 1))
    b = make_article(category=category, title="B", published_at=vn_time(2020, 1, 2))
    c = make_article(category=category, title="C", published_at=vn_time(2020, 1, 3))
    raise_view_count(page=b, at_least=50)
    raise_view_count(page=c, at_least=7)
    assert a  # never counted: 0

    data = api.get("/api/v1/articles/", {"ordering": ordering}).json()

    assert [item["title"] for item in data["results"]] == expected


def test_detail_by_id_and_by_slug_are_the_same_article(api, seed):
    by_id = api.get(f"/api/v1/articles/{seed.pk}/")
    by_slug = api.get(f"/api/v1/articles/slug/{seed.slug}/")

    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.json() == by_slug.json()
    assert set(by_id.json()) == ARTICLE_FIELDS
    assert by_id.json()["seo"] == {
        "title": seed.title,
        "description": seed.get_excerpt(),
    }


def test_body_blocks_have_the_contract_shapes(api, category):
    photo = make_image(title="Ảnh", caption="Chú thích mặc định")
    generate_api_renditions(photo)
    body = [
        ("paragraph", RichText("<p>Đoạn <b>một</b>.</p>")),
        ("image", {"image": photo, "caption": "Quang cảnh hội nghị", "alt": ""}),
        ("image", {"image": None, "caption": "Ảnh đã mất", "alt": ""}),
        ("heading", {"text": "Tiêu đề phụ", "level": "3"}),
        ("quote", {"text": "Câu nói", "attribution": "Ai đó"}),
        ("embed", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ]
    article = make_article(
        category=category, body=body, published_at=vn_time(2020, 1, 1)
    )

    data = api.get(f"/api/v1/articles/{article.pk}/").json()

    kinds = [block["type"] for block in data["body"]]
    assert kinds == ["paragraph", "image", "image", "heading", "quote", "embed"]
    assert all(len(block["id"]) == 36 for block in data["body"])
    values = [block["value"] for block in data["body"]]
    assert values[0] == {"html": "<p>Đoạn <b>một</b>.</p>"}
    assert values[1]["image"]["id"] == photo.pk
    assert values[1]["image"]["renditions"]["thumbnail"]["width"] == 400
    assert values[1]["caption"] == "Quang cảnh hội nghị"
    assert values[1]["alt"] == "Quang cảnh hội nghị"
    assert values[2] == {"image": None, "caption": "Ảnh đã mất", "alt": "Ảnh đã mất"}
    assert values[3] == {"text": "Tiêu đề phụ", "level": 3}
    assert values[4] == {"text": "Câu nói", "attribution": "Ai đó"}
    assert values[5] == {
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "html": "",
    }

    html = data["body_html"]
    assert html.startswith(
        '<p>Đoạn <b>một</b>.</p><figure><img src="http://testserver/media/'
    )
    assert "<figcaption>Quang cảnh hội nghị</figcaption></figure>" in html
    assert "<figure><figcaption>Ảnh đã mất</figcaption></figure>" in html
    assert "<h3>Tiêu đề phụ</h3>" in html
    assert "<blockquote><p>Câu nói</p><footer>Ai đó</footer></blockquote>" in html


def test_rich_text_is_final_html(api, category, seed):
    photo = make_image(title="Ảnh trong bài")
    photo.description = "Mô tả ảnh"
    photo.save()
    generate_api_renditions(photo)
    source = (
        f'<p>Xem <a linktype="page" id="{seed.pk}">bài trước</a>.</p>'
        f'<embed embedtype="image" id="{photo.pk}" format="left" alt="Ảnh minh họa"/>'
    )
    article = make_article(
        category=category,
        body=[("paragraph", RichText(source))],
        published_at=vn_time(2020, 1, 1),
    )

    data = api.get(f"/api/v1/articles/{article.pk}/").json()
    html = data["body"][0]["value"]["html"]

    assert f'<a href="/tin-tuc-su-kien/{seed.slug}/">bài trước</a>' in html
    medium = photo.renditions.get(filter_spec="max-800x800")
    assert (
        f'<img src="http://testserver{medium.url}" width="{medium.width}" '
        f'height="{medium.height}" alt="Ảnh minh họa" class="richtext-image left">'
    ) in html
    for leftover in ("<embed", "linktype=", "embedtype="):
        assert leftover not in html
        assert leftover not in data["body_html"]


def test_newer_older_and_related_within_the_category(api, category, other_category):
    same_time = vn_time(2020, 1, 2)
    oldest = make_article(
        category=category, title="1", published_at=vn_time(2020, 1, 1)
    )
    middle_a = make_article(category=category, title="2a", published_at=same_time)
    middle_b = make_article(category=category, title="2b", published_at=same_time)
    newest = make_article(
        category=category, title="3", published_at=vn_time(2020, 1, 3)
    )
    make_article(
        category=other_category, title="x", published_at=vn_time(2020, 1, 2, 12)
    )

    def links(article):
        data = api.get(f"/api/v1/articles/{article.pk}/").json()
        return (
            data["newer"] and data["newer"]["title"],
            data["older"] and data["older"]["title"],
            [link["title"] for link in data["related"]],
        )

    assert links(middle_a) == ("2b", "1", ["3", "2b", "1"])
    assert links(middle_b) == ("3", "2a", ["3", "2a", "1"])
    assert links(oldest)[:2] == ("2a", None)
    assert links(newest)[:2] == (None, "2b")
    newer = api.get(f"/api/v1/articles/{oldest.pk}/").json()["newer"]
    assert set(newer) == {"id", "slug", "title", "url", "published_at"}


def test_related_is_at_most_five(api, category):
    articles = [
        make_article(
            category=category, title=f"Bài {n}", published_at=vn_time(2020, 1, n + 1)
        )
        for n in range(8)
    ]
    related = api.get(f"/api/v1/articles/{articles[0].pk}/").json()["related"]
    assert [link["title"] for link in related] == [
        "Bài 7",
        "Bài 6",
        "Bài 5",
        "Bài 4",
        "Bài 3",
    ]


def test_categories_and_site(api, demo):
    categories = api.get("/api/v1/categories/").json()
    one = api.get("/api/v1/categories/thong-bao/").json()
    site = api.get("/api/v1/site/").json()

    assert categories["count"] == 2
    by_slug = {item["slug"]: item for item in categories["results"]}
    assert by_slug["tin-tuc-su-kien"]["article_count"] == 3
    assert one == by_slug["thong-bao"]
    assert one["article_count"] == 2
    assert one["url"] == "/thong-bao/"
    assert one["name"] == "Thông báo"
    assert one["description"].startswith("Thông báo, lịch tiếp công dân")
    assert site == {
        "name": site["name"],
        "language": "vi",
        "timezone": "Asia/Ho_Chi_Minh",
        "visit_count": 37_453_905,  # the seed page's odometer
        "article_count": 5,
    }
    assert site["name"]


def test_site_visit_count_comes_from_the_counter(api, demo):
    from wagtail.models import Site

    from counters.services import raise_visit_count

    raise_visit_count(site=Site.objects.get(is_default_site=True), at_least=40_000_000)
    assert api.get("/api/v1/site/").json()["visit_count"] == 40_000_000


def test_times_are_whole_seconds_with_the_site_offset(api, category):
    article = make_article(category=category, title="Vừa đăng")  # now, with µs
    assert article.last_published_at.microsecond or article.published_at.microsecond

    data = api.get(f"/api/v1/articles/{article.pk}/").json()
    for name in ("published_at", "updated_at"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", data[name]), data
