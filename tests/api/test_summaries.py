"""Summaries in the list and search (``api.representation``): what the
article's detail shows, from the stored documents, and never stale."""

import pytest
from taggit.models import Tag
from wagtail.rich_text import RichText

from api import representation
from api.models import ArticleDocument
from articles.renditions import generate_api_renditions
from tests.factories import make_article, make_image, vn_time

LIST = "/api/v1/articles/"
SUMMARY = (
    "id", "slug", "title", "url", "published_at", "excerpt", "category",
    "tags", "updated_at", "feature_image", "view_count",
)  # fmt: skip


@pytest.fixture(autouse=True)
def no_answer_cache(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0


def details(api, answer: list[dict]) -> list[dict]:
    """The summary fields of each listed article's detail."""
    shown = [api.get(f"{LIST}{item['id']}/").json() for item in answer]
    return [{name: item[name] for name in SUMMARY} for item in shown]


def test_the_list_answers_what_the_details_show(api, demo):
    answer = api.get(LIST, {"page_size": 100}).json()["results"]

    assert answer == details(api, answer)
    # The demo has photos, tags, excerpts and articles without an excerpt.
    assert any(item["feature_image"] for item in answer)
    assert any(item["tags"] for item in answer)
    assert tuple(answer[0]) == SUMMARY


def test_search_answers_what_the_details_show(api, demo):
    answer = api.get(LIST, {"search": "hoi nghi"}).json()["results"]

    assert answer
    assert answer == details(api, answer)


def test_a_list_shows_each_change_at_once(api, category):
    photo = make_image(title="Ảnh", caption="Cũ")
    generate_api_renditions(photo)
    article = make_article(
        category=category,
        title="Hội nghị",
        published_at=vn_time(2020, 1, 2),
        feature_image=photo,
        body=[("paragraph", RichText("<p>Đoạn đầu.</p>"))],
    )
    first = api.get(LIST).json()["results"][0]
    assert ArticleDocument.objects.filter(article_id=article.pk).exists()
    assert (first["excerpt"], first["tags"]) == ("Đoạn đầu.", [])

    article.excerpt = "Tóm tắt."
    article.tags.add("Quận 11")
    article.save_revision().publish()
    photo.caption = "Mới"
    photo.save()

    now = api.get(LIST).json()["results"][0]
    assert (now["excerpt"], now["tags"]) == ("Tóm tắt.", ["Quận 11"])
    assert now["feature_image"]["caption"] == "Mới"


def test_a_summary_shows_the_asking_host(api, category, settings):
    settings.ALLOWED_HOSTS = ["quan11.example.vn", "tin.example.vn"]
    photo = make_image(title="Ảnh")
    generate_api_renditions(photo)
    make_article(category=category, title="Một", feature_image=photo)
    api.get(LIST)  # stores the document

    for host in ("quan11.example.vn", "tin.example.vn"):
        item = api.get(LIST, HTTP_HOST=host).json()["results"][0]
        assert item["feature_image"]["url"].startswith(f"http://{host}/")


@pytest.mark.parametrize("cache_seconds", [0, 60])
def test_a_renamed_or_deleted_tag_shows_at_once(
    api, category, settings, cache_seconds, django_capture_on_commit_callbacks
):
    settings.API_RESPONSE_CACHE_SECONDS = cache_seconds
    article = make_article(category=category, title="Một")
    article.tags.add("Quan 11")
    article.save_revision().publish()
    detail = f"/api/v1/articles/{article.pk}/"
    assert api.get(LIST).json()["results"][0]["tags"] == ["Quan 11"]
    assert api.get(detail).json()["tags"] == ["Quan 11"]

    with django_capture_on_commit_callbacks(execute=True):
        tag = Tag.objects.get(name="Quan 11")
        tag.name = "Quận 11"
        tag.save()
    assert api.get(LIST).json()["results"][0]["tags"] == ["Quận 11"]
    assert api.get(detail).json()["tags"] == ["Quận 11"]

    with django_capture_on_commit_callbacks(execute=True):
        tag.delete()
    assert api.get(LIST).json()["results"][0]["tags"] == []
    assert api.get(detail).json()["tags"] == []


def test_a_read_builds_a_bounded_number_of_documents(api, category, monkeypatch):
    monkeypatch.setattr(representation, "BUILDS_PER_READ", 2)
    photo = make_image(title="Ảnh", caption="Quang cảnh hội nghị")
    generate_api_renditions(photo)
    for day in range(1, 6):
        article = make_article(
            category=category,
            title=f"Bài {day}",
            published_at=vn_time(2020, 1, day),
            feature_image=photo,
        )
        article.tags.add(f"thẻ {day}")
        article.save_revision().publish()
    expected = api.get(LIST).json()["results"]
    ArticleDocument.objects.all().delete()  # as after an import

    stored = []
    for _ in range(3):
        assert api.get(LIST).json()["results"] == expected
        stored.append(ArticleDocument.objects.count())
    assert stored == [2, 4, 5]
