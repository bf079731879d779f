"""The demo loader: the seed article as the old portal showed it, and more."""

from datetime import datetime

import pytest
from django.core.management import call_command
from wagtail.models import Revision, Site

from articles.demo import DEMO_ARTICLES
from articles.models import ArticlePage, CategoryPage, NewsImage
from articles.renditions import API_RENDITIONS
from articles.vietnamese import TIME_ZONE
from counters.selectors import view_count, visit_count

pytestmark = pytest.mark.django_db

SEED_TITLE = "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”"


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_demo_has_two_categories_and_five_live_articles(demo):
    categories = {c.title: c for c in CategoryPage.objects.live()}
    assert set(categories) == {"Tin tức sự kiện", "Thông báo"}
    articles = ArticlePage.objects.live()
    assert articles.count() == 1 + len(DEMO_ARTICLES) == 5
    for category in categories.values():
        assert ArticlePage.objects.child_of(category).live().count() >= 2


def test_seed_article_is_the_legacy_page(demo):
    article = ArticlePage.objects.get(title=SEED_TITLE)
    assert article.get_parent().title == "Tin tức sự kiện"
    assert article.published_at == datetime(2017, 4, 21, 8, 25, tzinfo=TIME_ZONE)
    assert article.first_published_at == article.published_at
    assert article.slug == (
        "hoi-nghi-chuyen-de-thuc-trang-tinh-hinh-cong-tac-ket-nap-dang-vien"
    )
    types = [block.block_type for block in article.body]
    assert types == [
        "paragraph",
        "paragraph",
        "image",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    numbered = article.body[4].value.source
    assert numbered.startswith("<ol><li>Tăng cường công tác quán triệt")
    assert numbered.count("<li>") == 6
    photo_block = article.body[2].value
    assert photo_block["caption"] == "Quang cảnh hội nghị"
    photo = photo_block["image"]
    assert photo is not None and photo.width > 0
    assert article.get_excerpt().startswith("Vừa qua, Ban thường vụ Quận ủy")


def test_seed_article_keeps_the_old_portals_counts(demo):
    article = ArticlePage.objects.get(title=SEED_TITLE)
    assert view_count(page=article) == 3191
    assert visit_count(site=Site.objects.get(is_default_site=True)) == 37_453_905


def test_demo_images_are_real_with_api_renditions(demo):
    assert NewsImage.objects.count() == 5
    for image in NewsImage.objects.all():
        specs = set(image.renditions.values_list("filter_spec", flat=True))
        assert set(API_RENDITIONS.values()) <= specs
    for demo_article in DEMO_ARTICLES:
        article = ArticlePage.objects.get(legacy_key=demo_article.key)
        assert article.feature_image is not None
        assert list(article.tags.names())


def test_loading_twice_duplicates_nothing(demo):
    before = (
        ArticlePage.objects.count(),
        CategoryPage.objects.count(),
        NewsImage.objects.count(),
        Revision.objects.count(),
    )
    call_command("load_demo", verbosity=0)
    after = (
        ArticlePage.objects.count(),
        CategoryPage.objects.count(),
        NewsImage.objects.count(),
        Revision.objects.count(),
    )
    assert after == before


def test_page_urls_answer_the_reader_which_finds_the_article_in_the_api(demo, client):
    article = ArticlePage.objects.get(title=SEED_TITLE)
    for url in ("/", "/tin-tuc-su-kien/", article.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'<script type="module" src="/js/app.js">' in response.content
    slug = article.url.strip("/").split("/")[-1]
    html = client.get(f"/api/v1/articles/slug/{slug}/").json()["body_html"]
    assert "Quang cảnh hội nghị" in html
    assert "Tăng cường công tác quán triệt" in html
