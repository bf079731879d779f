"""Summaries in the list and search (``api.summaries``): the serializer's
answer, key for key, from the stored documents, and never stale."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from taggit.models import Tag
from wagtail.rich_text import RichText

from api import queries, summaries
from api.models import ArticleDocument
from api.serializers import (
    ArticleLinkSerializer,
    ArticleSummarySerializer,
    link_data,
)
from articles.models import ArticlePage
from articles.renditions import generate_api_renditions
from tests.factories import make_article, make_image, vn_time

LIST = "/api/v1/articles/"


@pytest.fixture(autouse=True)
def no_answer_cache(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0


def serialized(articles: list[ArticlePage]) -> list[dict]:
    """The summaries as ``ArticleSummarySerializer`` gives them."""
    request = Request(APIRequestFactory().get(LIST))
    rows = queries.with_summary_data(
        ArticlePage.objects.filter(pk__in=[a.pk for a in articles])
    ).in_bulk()
    page = queries.set_view_counts([rows[a.pk] for a in articles])
    context = {"request": request, "categories": queries.categories_by_path(page)}
    return ArticleSummarySerializer(page, many=True, context=context).data


def test_the_list_answers_what_the_serializer_would(api, demo):
    answer = api.get(LIST, {"page_size": 100}).json()["results"]
    shown = ArticlePage.objects.in_bulk([item["id"] for item in answer])

    assert answer == serialized([shown[item["id"]] for item in answer])
    # The demo has photos, tags, excerpts and articles without an excerpt.
    assert any(item["feature_image"] for item in answer)
    assert any(item["tags"] for item in answer)
    assert list(answer[0]) == [
        "id", "slug", "title", "url", "published_at", "excerpt", "category",
        "tags", "updated_at", "feature_image", "view_count",
    ]  # fmt: skip


def test_search_answers_what_the_serializer_would(api, demo):
    answer = api.get(LIST, {"search": "hoi nghi"}).json()["results"]
    shown = ArticlePage.objects.in_bulk([item["id"] for item in answer])

    assert answer
    assert answer == serialized([shown[item["id"]] for item in answer])


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


def test_links_are_the_link_serializers_answer(api, demo):
    request = Request(APIRequestFactory().get(LIST))
    for article in demo:
        assert link_data(article, request=request) == (
            ArticleLinkSerializer(article, context={"request": request}).data
        )


def test_a_read_builds_a_bounded_number_of_documents(api, category, monkeypatch):
    monkeypatch.setattr(summaries, "BUILDS_PER_READ", 2)
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
    ArticleDocument.objects.all().delete()  # as after an import
    shown = list(ArticlePage.objects.order_by("-published_at"))

    stored = []
    for _ in range(3):
        answer = api.get(LIST).json()["results"]
        assert answer == serialized(shown)
        stored.append(ArticleDocument.objects.count())
    assert stored == [2, 4, 5]
