"""search: with or without Vietnamese marks, relevance first, on every backend."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.rich_text import RichText

from tests.factories import make_article, vn_time


@pytest.mark.parametrize(
    "query", ["ket nap dang vien", "KẾT NẠP", "kết nạp đảng viên", "Kết Nạp ĐẢNG"]
)
def test_search_finds_the_seed_article_with_or_without_marks(api, seed, query):
    data = api.get("/api/v1/articles/", {"search": query}).json()

    assert [item["id"] for item in data["results"]] == [seed.pk]
    assert data["count"] == 1


def test_search_matches_excerpt_and_body_and_needs_every_word(
    api, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(
            category=category,
            title="Tin một",
            excerpt="Phường 10 đón bằng công nhận",
            published_at=vn_time(2020, 1, 1),
        )
        make_article(
            category=category,
            title="Tin hai",
            body=[("paragraph", RichText("<p>Đường Lạc Long Quân được sửa</p>"))],
            published_at=vn_time(2020, 1, 2),
        )

    def titles(query):
        results = api.get("/api/v1/articles/", {"search": query}).json()["results"]
        return [item["title"] for item in results]

    assert titles("phuong 10 cong nhan") == ["Tin một"]
    assert titles("duong lac long quan") == ["Tin hai"]
    assert titles("lac long quan cong nhan") == []


def test_search_orders_by_relevance_and_combines_with_filters(
    api, category, other_category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(
            category=category,
            title="Thông tin chung",
            body=[("paragraph", RichText("<p>Có nhắc đến hiến máu một lần.</p>"))],
            published_at=vn_time(2020, 1, 5),
        )
        make_article(
            category=category,
            title="Hiến máu tình nguyện: hiến máu cứu người",
            body=[("paragraph", RichText("<p>Hiến máu, hiến máu và hiến máu.</p>"))],
            published_at=vn_time(2020, 1, 1),
        )
        make_article(
            category=other_category,
            title="Hiến máu ở phường khác",
            published_at=vn_time(2020, 1, 3),
        )

    everything = api.get("/api/v1/articles/", {"search": "hien mau"}).json()
    in_category = api.get(
        "/api/v1/articles/", {"search": "hien mau", "category": category.slug}
    ).json()

    assert everything["count"] == 3
    assert (
        everything["results"][0]["title"] == "Hiến máu tình nguyện: hiến máu cứu người"
    )
    assert [item["title"] for item in in_category["results"]] == [
        "Hiến máu tình nguyện: hiến máu cứu người",
        "Thông tin chung",
    ]


def test_search_sees_edits_once_published(
    api, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(category=category, title="Tiêu đề cũ")
    assert api.get("/api/v1/articles/", {"search": "tieu de moi"}).json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Tiêu đề mới"
        article.save_revision().publish()

    assert api.get("/api/v1/articles/", {"search": "tieu de moi"}).json()["count"] == 1


def test_search_pages_keep_the_relevance_order_and_skip_hidden_articles(
    api, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for i, times in enumerate((1, 4, 2, 3)):
            make_article(
                category=category,
                title=f"Bài {i}",
                body=[("paragraph", RichText("<p>" + "hiến máu " * times + "</p>"))],
                published_at=vn_time(2020, 1, 1 + i),
            )
        hidden = make_article(
            category=category,
            title="Hiến máu hiến máu hiến máu hiến máu hiến máu",
            published_at=vn_time(2020, 2, 1),
        )
        hidden.unpublish()

    whole = api.get("/api/v1/articles/", {"search": "hien mau"}).json()
    pages = [
        api.get(
            "/api/v1/articles/", {"search": "hien mau", "page_size": 3, "page": n}
        ).json()
        for n in (1, 2)
    ]

    titles = [item["title"] for item in whole["results"]]
    assert whole["count"] == 4
    assert titles[0] == "Bài 1"  # the body saying it four times
    assert [item["title"] for page in pages for item in page["results"]] == titles
    assert pages[0]["count"] == pages[1]["count"] == 4
    assert pages[1]["next"] is None


def test_search_over_more_matches_than_one_id_batch(
    api, category, django_capture_on_commit_callbacks, monkeypatch
):
    """The matches are checked in batches (SQLite takes at most 32,766 ids)."""
    from articles import ranked_search

    monkeypatch.setattr(ranked_search, "ID_BATCH", 2)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            make_article(
                category=category,
                title=f"Hội nghị số {i}",
                published_at=vn_time(2020, 1, 1 + i),
            )

    data = api.get("/api/v1/articles/", {"search": "hoi nghi"}).json()

    assert data["count"] == 5
    assert sorted(item["title"] for item in data["results"]) == [
        f"Hội nghị số {i}" for i in range(5)
    ]


def test_search_forgets_a_deleted_article(
    api, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = make_article(category=category, title="Lễ hội đường phố")
        gone = make_article(category=category, title="Lễ hội ẩm thực")
    assert api.get("/api/v1/articles/", {"search": "le hoi"}).json()["count"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()

    data = api.get("/api/v1/articles/", {"search": "le hoi"}).json()
    assert [item["id"] for item in data["results"]] == [kept.pk]
    assert data["count"] == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps its own entries"
)
def test_rebuild_article_search_restores_postgres_search(
    api, category, django_capture_on_commit_callbacks, settings
):
    from articles.models import ArticleSearchEntry

    settings.API_RESPONSE_CACHE_SECONDS = 0  # the entries change behind its back

    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(category=category, title="Giải chạy việt dã")
    ArticleSearchEntry.objects.all().delete()  # e.g. rows loaded by raw SQL
    assert api.get("/api/v1/articles/", {"search": "viet da"}).json()["count"] == 0

    call_command("rebuild_article_search", stdout=io.StringIO())

    data = api.get("/api/v1/articles/", {"search": "viet da"}).json()
    assert [item["id"] for item in data["results"]] == [article.pk]
