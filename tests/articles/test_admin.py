"""The Wagtail admin as an editor meets it: Vietnamese, articles, slugs."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from articles.models import ArticlePage
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_vietnamese(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi"' in html
    assert "Đăng nhập" in html
    assert "Quên mật khẩu?" in html


def test_english_is_selectable_per_user(editor_client, editor):
    html = editor_client.get(reverse("wagtailadmin_account")).content.decode()
    assert '<option value="en">English</option>' in html
    assert '<option value="vi">' in html

    assert '<html lang="vi"' in editor_client.get("/admin/").content.decode()
    profile = editor.wagtail_userprofile
    profile.preferred_language = "en"
    profile.save()
    assert '<html lang="en"' in editor_client.get("/admin/").content.decode()


def test_article_create_page_answers_with_the_vietnamese_slug_widget(
    editor_client, category
):
    url = reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", category.pk)
    )
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-controller="w-slug"' in html
    assert "data-w-slug-formatters-value" in html


def _article_form(**fields):
    return nested_form_data(
        {
            "excerpt": "",
            "body": streamfield(
                [("paragraph", rich_text("<p>Sáng nay, đoàn viên ra quân.</p>"))]
            ),
            "tags": '"đoàn viên"',
            "comments": inline_formset([]),
            "action-publish": "publish",
            **fields,
        }
    )


def test_editor_creates_an_article_in_the_admin(editor_client, category):
    url = reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", category.pk)
    )
    # The slug as the admin's script makes it from the title (see test_vietnamese).
    data = _article_form(
        title="Đoàn viên Quận 11 ra quân", slug="doan-vien-quan-11-ra-quan"
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    article = ArticlePage.objects.get(title="Đoàn viên Quận 11 ra quân")
    assert article.live
    assert article.slug == "doan-vien-quan-11-ra-quan"
    assert article.published_at == article.first_published_at
    assert article.get_excerpt() == "Sáng nay, đoàn viên ra quân."
    assert list(article.tags.names()) == ["đoàn viên"]


def test_a_slug_taken_in_another_category_gets_a_suffix(
    editor_client, category, other_category
):
    make_article(category=other_category, title="Họp báo")
    url = reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", category.pk)
    )
    response = editor_client.post(url, _article_form(title="Họp báo", slug="hop-bao"))
    assert response.status_code == 302, response.context["form"].errors
    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == ["hop-bao", "hop-bao-2"]


def test_article_edit_page_answers(editor_client, category):
    article = make_article(category=category, title="Bài để sửa")
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    assert response.status_code == 200
    assert "Bài để sửa" in response.content.decode()


def test_article_listing_shows_category_and_publication_date(editor_client, category):
    make_article(category=category, title="Bài trong danh sách")
    response = editor_client.get("/admin/articles/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bài trong danh sách" in html
    assert "Chuyên mục" in html  # the column heading, in Vietnamese
    assert "Xuất bản lúc" in html
    assert "Tin tức sự kiện" in html  # the article's category


def test_admin_requires_sign_in(client):
    response = client.get("/admin/articles/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
