"""The detail's stored documents (``api.documents``): built once per published
version, used until something they show changes, never stale to a reader.

The server's answer cache is off in these tests, so that every request goes
through the documents."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtail.rich_text import RichText

from api import documents
from api.models import ArticleDocument
from articles.models import NewsRendition
from tests.factories import make_article, make_category, make_image, vn_time


@pytest.fixture(autouse=True)
def no_answer_cache(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0


@pytest.fixture
def photo(db):
    return make_image(title="Ảnh", caption="Quang cảnh hội nghị")


@pytest.fixture
def article(category, photo):
    return make_article(
        category=category,
        title="Hội nghị",
        published_at=vn_time(2020, 1, 2),
        feature_image=photo,
        body=[
            ("paragraph", RichText("<p>Đoạn một.</p>")),
            ("image", {"image": photo, "caption": "", "alt": ""}),
        ],
    )


def detail(api, article, **headers):
    response = api.get(f"/api/v1/articles/{article.pk}/", **headers)
    assert response.status_code == 200
    return response.json()


def test_the_first_read_stores_the_document_and_later_reads_use_it(
    api, category, article
):
    make_article(category=category, title="Cũ", published_at=vn_time(2020, 1, 1))
    first = detail(api, article)
    assert stored_document(article) is not None
    with CaptureQueriesContext(connection) as queries:
        again = detail(api, article)

    assert again == first
    assert first["older"]["title"] == "Cũ"
    assert first["feature_image"]["caption"] == "Quang cảnh hội nghị"
    # The article with its category, its document, its view count, its
    # neighbours; plus what the cache table answers without Redis.
    database = [q for q in queries if "newsdesk_cache" not in q["sql"]]
    assert len(database) == 4


def test_a_new_version_is_shown_at_once(api, article):
    detail(api, article)
    article.title = "Hội nghị (sửa)"
    article.body = [("paragraph", RichText("<p>Đoạn mới.</p>"))]
    article.save_revision().publish()

    answer = detail(api, article)
    assert answer["title"] == "Hội nghị (sửa)"
    assert [block["type"] for block in answer["body"]] == ["paragraph"]
    assert "Đoạn mới." in answer["body_html"]


def test_what_changes_without_a_new_version_is_read_each_time(api, category, article):
    detail(api, article)
    newer = make_article(
        category=category, title="Mới", published_at=vn_time(2021, 1, 1)
    )
    category.title = "Thời sự"
    category.save_revision().publish()

    answer = detail(api, article)
    assert answer["newer"]["id"] == newer.pk
    assert answer["related"][0]["id"] == newer.pk
    assert answer["category"]["name"] == "Thời sự"


def test_an_image_edit_shows_in_every_article_that_shows_the_image(
    api, article, photo, committed
):
    detail(api, article)
    photo.caption = "Toàn cảnh"
    with committed():
        photo.save()

    answer = detail(api, article)
    assert answer["feature_image"]["caption"] == "Toàn cảnh"
    assert answer["body"][1]["value"]["caption"] == "Toàn cảnh"
    assert "Toàn cảnh" in answer["body_html"]


def test_an_edit_of_another_image_keeps_the_document(api, article, photo, committed):
    detail(api, article)
    other = make_image(title="Khác")
    other.caption = "Khác"
    with committed():
        other.save()

    assert stored_document(article) is not None


def test_links_follow_the_linked_page(api, category, article, committed):
    target = make_article(
        category=category, title="Đích", publish=False, published_at=vn_time(2019, 1, 1)
    )
    article.body = [
        ("paragraph", RichText(f'<p><a linktype="page" id="{target.pk}">xem</a></p>'))
    ]
    with committed():
        article.save_revision().publish()
    # Not published yet: plain text.
    assert "<p>xem</p>" in detail(api, article)["body_html"]

    with committed():
        target.save_revision().publish()
    assert f'href="{target.url}"' in detail(api, article)["body_html"]

    target.slug = "dich-moi"
    with committed():
        target.save_revision().publish()
    assert 'href="/tin-tuc-su-kien/dich-moi/"' in detail(api, article)["body_html"]

    other = make_category(title="Thông báo")
    with committed():
        target.move(other, pos="last-child")
    assert 'href="/thong-bao/dich-moi/"' in detail(api, article)["body_html"]

    with committed():
        target.unpublish()
    assert "<p>xem</p>" in detail(api, article)["body_html"]


def test_moving_the_article_changes_its_url(api, article):
    detail(api, article)
    article.move(make_category(title="Thông báo"), pos="last-child")

    answer = detail(api, article)
    assert answer["url"] == f"/thong-bao/{article.slug}/"
    assert answer["category"]["slug"] == "thong-bao"


def test_absolute_urls_name_the_host_asked(api, article, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    first = detail(api, article, HTTP_HOST="a.example")
    second = detail(api, article, HTTP_HOST="b.example", HTTP_X_FORWARDED_PROTO="x")

    assert first["feature_image"]["url"].startswith("http://a.example/")
    assert second["feature_image"]["url"].startswith("http://b.example/")
    assert "http://b.example/" in second["body_html"]
    assert documents.ORIGIN_HOST not in str(first) + str(second)


def test_a_document_missing_a_rendition_is_not_kept(api, article, photo):
    NewsRendition.objects.filter(image=photo).delete()
    answer = detail(api, article)
    assert answer["feature_image"]["renditions"]["thumbnail"] is None
    assert stored_document(article) is None

    photo.get_renditions("fill-400x300", "max-800x800", "max-1600x1600")
    assert detail(api, article)["feature_image"]["renditions"]["thumbnail"]


def test_a_site_change_forgets_every_document(api, article, committed):
    detail(api, article)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Cổng thông tin"
    with committed():
        site.save()

    assert not ArticleDocument.objects.exists()


def test_a_new_format_rebuilds_the_document(api, article, monkeypatch):
    detail(api, article)
    monkeypatch.setattr(documents, "FORMAT", "next")
    detail(api, article)

    assert stored_document(article).source.startswith("next:")


def test_hidden_articles_are_not_answered_from_their_document(api, article):
    detail(api, article)
    article.unpublish()

    assert api.get(f"/api/v1/articles/{article.pk}/").status_code == 404


def test_build_article_documents_makes_them_for_visible_articles(
    category, article, capsys
):
    draft = make_article(category=category, title="Nháp", publish=False)
    call_command("build_article_documents")

    assert "article documents built: 1" in capsys.readouterr().out
    assert stored_document(article) is not None
    assert stored_document(draft) is None


def stored_document(article) -> ArticleDocument | None:
    return ArticleDocument.objects.filter(pk=article.pk).first()
