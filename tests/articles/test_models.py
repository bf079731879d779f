"""Content model rules: slugs, excerpts, NFC, publication dates, legacy keys."""

import unicodedata

import pytest
from django.db import IntegrityError
from wagtail.rich_text import RichText

from articles.models import ArticlePage
from tests.factories import make_article, make_category, vn_time

SEED_TITLE = "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”"
SEED_SLUG = "hoi-nghi-chuyen-de-thuc-trang-tinh-hinh-cong-tac-ket-nap-dang-vien"

pytestmark = pytest.mark.django_db


def test_slug_is_folded_from_the_title_keeping_d(category):
    article = make_article(category=category, title=SEED_TITLE)
    assert article.slug == SEED_SLUG
    assert article.url_path.endswith(f"/tin-tuc-su-kien/{SEED_SLUG}/")


def test_capital_d_with_stroke_becomes_d(category):
    article = make_article(category=category, title="Đại hội Đoàn phường")
    assert article.slug == "dai-hoi-doan-phuong"


def test_category_slug_is_folded(category):
    assert category.slug == "tin-tuc-su-kien"
    assert make_category(title="Thông báo").slug == "thong-bao"


def test_slugs_are_unique_among_all_articles_not_only_siblings(
    category, other_category
):
    first = make_article(category=category, title="Họp báo")
    second = make_article(category=other_category, title="Họp báo")
    third = make_article(category=category, title="Họp  báo!")
    assert [first.slug, second.slug, third.slug] == [
        "hop-bao",
        "hop-bao-2",
        "hop-bao-3",
    ]


def test_resaving_keeps_an_articles_own_slug(category):
    article = make_article(category=category, title="Họp báo")
    article.title = "Họp báo (cập nhật)"
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.slug == "hop-bao"


def test_an_editor_slug_that_collides_gets_a_suffix(category, other_category):
    make_article(category=category, title="Họp báo")
    article = make_article(category=other_category, title="Khác", slug="hop-bao")
    assert article.slug == "hop-bao-2"


def test_text_is_stored_nfc(category):
    decomposed = unicodedata.normalize("NFD", "Kết nạp đảng viên")
    article = make_article(
        category=category,
        title=decomposed,
        excerpt=decomposed,
        body=[("paragraph", RichText(f"<p>{decomposed}</p>"))],
    )
    article.refresh_from_db()
    nfc = unicodedata.normalize("NFC", decomposed)
    assert article.title == nfc
    assert article.excerpt == nfc
    assert article.body[0].value.source == f"<p>{nfc}</p>"
    assert article.slug == "ket-nap-dang-vien"


def test_excerpt_falls_back_to_the_first_paragraph_at_a_word_boundary(category):
    words = " ".join(["Vừa qua, Ban thường vụ Quận ủy đã tổ chức hội nghị"] * 10)
    article = make_article(
        category=category,
        body=[
            ("heading", {"text": "Mở đầu", "level": "2"}),
            ("paragraph", RichText(f"<p><b>{words}</b></p>")),
        ],
    )
    excerpt = article.get_excerpt()
    assert excerpt.endswith("…")
    assert len(excerpt) <= 200
    assert words.startswith(excerpt[:-1])
    assert words[len(excerpt) - 1] == " "  # cut between two words


def test_editor_excerpt_wins(category):
    article = make_article(category=category, excerpt="Tóm tắt riêng")
    assert article.get_excerpt() == "Tóm tắt riêng"


def test_short_first_paragraph_is_the_whole_excerpt(category):
    article = make_article(
        category=category, body=[("paragraph", RichText("<p>Ngắn &amp; gọn.</p>"))]
    )
    assert article.get_excerpt() == "Ngắn & gọn."


def test_published_at_defaults_to_first_publication(category):
    article = make_article(category=category)
    assert article.published_at is not None
    assert article.published_at == article.first_published_at


def test_published_at_set_by_the_editor_is_kept(category):
    when = vn_time(2017, 4, 21, 8, 25)
    article = make_article(category=category, published_at=when)
    assert article.published_at == when
    article.title = "Sửa tiêu đề"
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.published_at == when


def test_draft_has_no_publication_date(category):
    article = make_article(category=category, publish=False)
    assert not article.live
    assert article.published_at is None


def test_legacy_key_is_unique_when_set(category):
    make_article(category=category, title="Một", legacy_key="legacy:1")
    make_article(category=category, title="Hai")
    make_article(category=category, title="Ba")  # two blank keys are fine
    with pytest.raises(IntegrityError):
        ArticlePage.objects.filter(title="Hai").update(legacy_key="legacy:1")


def test_an_article_can_only_live_under_a_category():
    assert ArticlePage.parent_page_types == ["articles.CategoryPage"]
    assert ArticlePage.allowed_parent_page_models() == [
        make_category.__globals__["CategoryPage"]
    ]


def test_excerpt_keeps_a_space_between_paragraphs(category):
    article = make_article(
        category=category,
        body=[("paragraph", RichText("<p>Xem bài <b>đậm</b>.</p><p>Tiếp.</p>"))],
    )
    assert article.get_excerpt() == "Xem bài đậm. Tiếp."
