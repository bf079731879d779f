"""A request runs the same small number of SQL queries whatever its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import RichText

from articles.renditions import generate_api_renditions
from tests.factories import make_article, make_image, vn_time


@pytest.fixture(autouse=True)
def build_every_answer(settings):
    """Count the queries of building an answer, not of serving a cached one."""
    settings.API_RESPONSE_CACHE_SECONDS = 0


def count_queries(api, path, params=None) -> int:
    api.get(path, params)  # warm per-process caches (content types, site roots)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, params)
    assert response.status_code == 200
    return len(queries)


def _tagged_articles_with_images(category, n):
    for i in range(n):
        image = make_image(title=f"Ảnh {i}")
        generate_api_renditions(image)
        article = make_article(
            category=category,
            title=f"Bài {i}",
            published_at=vn_time(2020, 1, 1, 0, i),
            feature_image=image,
        )
        article.tags.add(f"thẻ {i}", "chung")
        article.save_revision().publish()


def test_list_queries_do_not_grow_with_page_size(
    api, category, django_assert_num_queries
):
    _tagged_articles_with_images(category, 12)
    small = count_queries(api, "/api/v1/articles/", {"page_size": 1})
    large = count_queries(api, "/api/v1/articles/", {"page_size": 100})

    assert small == large
    with django_assert_num_queries(small):
        data = api.get("/api/v1/articles/", {"page_size": 100}).json()
    assert len(data["results"]) == 12
    assert all(
        item["feature_image"]["renditions"]["thumbnail"] for item in data["results"]
    )
    # Count, page, view counts, stored documents, categories; and the site's
    # root paths from the cache table (no Redis here).
    assert small <= 6


def test_search_queries_do_not_grow_with_page_size(api, category):
    _tagged_articles_with_images(category, 6)
    small = count_queries(api, "/api/v1/articles/", {"page_size": 1, "search": "bai"})
    large = count_queries(api, "/api/v1/articles/", {"page_size": 100, "search": "bai"})
    assert small == large


def _rich_body(n, *, target, photo):
    body = []
    for i in range(n):
        body += [
            (
                "paragraph",
                RichText(
                    f'<p>Đoạn {i} <a linktype="page" id="{target.pk}">liên kết</a></p>'
                    f'<embed embedtype="image" id="{photo.pk}" format="left" alt=""/>'
                ),
            ),
            ("image", {"image": photo, "caption": f"Ảnh {i}", "alt": ""}),
            ("heading", {"text": f"Mục {i}", "level": "2"}),
        ]
    return body


def test_detail_queries_do_not_grow_with_the_body(api, category):
    photo = make_image(title="Ảnh")
    generate_api_renditions(photo)
    target = make_article(
        category=category, title="Đích", published_at=vn_time(2020, 1, 1)
    )
    short = make_article(
        category=category,
        title="Ngắn",
        body=_rich_body(1, target=target, photo=photo),
        published_at=vn_time(2020, 1, 2),
        feature_image=photo,
    )
    long = make_article(
        category=category,
        title="Dài",
        body=_rich_body(40, target=target, photo=photo),
        published_at=vn_time(2020, 1, 3),
        feature_image=photo,
    )

    short_count = count_queries(api, f"/api/v1/articles/{short.pk}/")
    long_count = count_queries(api, f"/api/v1/articles/{long.pk}/")
    by_slug = count_queries(api, f"/api/v1/articles/slug/{long.slug}/")

    assert short_count == long_count == by_slug
    assert long_count <= 16
