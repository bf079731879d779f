"""Links in an article's body to pages a reader may not see become plain text,
in ``body`` and ``body_html``, decided when the body is read: a stored
document outlives the linked page's visibility."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from api.models import ArticleDocument
from api.response_cache import new_content_version
from articles.changes import record_changes
from articles.models import ArticlePage
from tests.api.test_visibility import HIDDEN
from tests.factories import make_article, make_category

LINK_TEXT = "xem bài liên quan"

pytestmark = pytest.mark.django_db


def _dated_ahead(category):
    article = make_article(category=category, title="Bài hẹn giờ")
    ArticlePage.objects.filter(pk=article.pk).update(
        published_at=timezone.now() + timedelta(hours=1)
    )
    return article


def _private_category(category):
    private = make_category(title="Nội bộ")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    return private


def _unpublished_category(category):
    archived = make_category(title="Lưu trữ")
    archived.unpublish()
    return archived


def _expired_category(category):
    ended = make_category(title="Chuyên đề đã kết thúc")
    Page.objects.filter(pk=ended.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    return ended


HIDDEN_PAGES = [
    *HIDDEN,
    _dated_ahead,
    _private_category,
    _unpublished_category,
    _expired_category,
]


def linking_to(category, target, *, title="Bài có liên kết"):
    body = [
        (
            "paragraph",
            RichText(
                f'<p>Mở đầu, <a linktype="page" id="{target.pk}">{LINK_TEXT}</a>'
                ", rồi kết.</p>"
            ),
        )
    ]
    return make_article(category=category, title=title, body=body)


def read(api, article) -> tuple[str, str, bytes]:
    """(the paragraph's html, body_html, the whole answer) of the detail."""
    answer = api.get(f"/api/v1/articles/{article.pk}/")
    assert answer.status_code == 200
    data = answer.json()
    return data["body"][0]["value"]["html"], data["body_html"], answer.content


def page_path(page) -> str:
    page.refresh_from_db()
    return page.url_path.split("/", 2)[2]  # below the site's root: /slug/...


@pytest.mark.parametrize("make_hidden", HIDDEN_PAGES)
def test_a_link_to_a_hidden_page_is_plain_text(api, category, make_hidden):
    hidden = make_hidden(category)
    hidden.refresh_from_db()
    article = linking_to(category, hidden)

    for _ in range(2):  # built, then from the stored document
        html, body_html, content = read(api, article)
        assert html == f"<p>Mở đầu, {LINK_TEXT}, rồi kết.</p>"
        assert body_html == html
        assert hidden.slug.encode() not in content
        assert b"data-newsdesk-page" not in content


def test_a_link_to_a_visible_page_keeps_its_url(api, category):
    target = make_article(category=category, title="Bài đích")
    article = linking_to(category, target)

    html, body_html, content = read(api, article)

    url = f"/{category.slug}/{target.slug}/"
    assert html == f'<p>Mở đầu, <a href="{url}">{LINK_TEXT}</a>, rồi kết.</p>'
    assert body_html == html
    assert b"data-newsdesk-page" not in content


def test_the_link_follows_the_page_when_it_is_shown_and_hidden_later(
    api, category, committed
):
    # No new version of either article: time passes, a row changes underneath
    # (the linking article's stored document is the same throughout).
    target = _dated_ahead(category)
    article = linking_to(category, target)
    assert LINK_TEXT in read(api, article)[0]
    assert "<a" not in read(api, article)[0]

    ArticlePage.objects.filter(pk=target.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    with committed():
        record_changes()  # the scheduler's minute: retires answers kept whole
    assert f'<a href="/{category.slug}/{target.slug}/">' in read(api, article)[0]

    ArticlePage.objects.filter(pk=target.pk).update(
        expire_at=timezone.now() - timedelta(seconds=1)
    )
    built_at = ArticleDocument.objects.get(article=article).built_at
    # Before the scheduler's minute: only the answers kept whole retire (as
    # after any other change); the stored document stays as it was built.
    new_content_version()
    html, body_html, content = read(api, article)
    assert "<a" not in html and "<a" not in body_html
    assert target.slug.encode() not in content
    assert ArticleDocument.objects.get(article=article).built_at == built_at


def test_a_link_to_a_deleted_page_is_plain_text(api, category):
    target = make_article(category=category, title="Bài sẽ xoá")
    article = linking_to(category, target)
    target.delete()
    html, body_html, _ = read(api, article)
    assert html == f"<p>Mở đầu, {LINK_TEXT}, rồi kết.</p>" == body_html


def test_the_preview_shows_hidden_links_as_plain_text_too(api, category, editor):
    from articles.previews import mint_preview_token

    hidden = _dated_ahead(category)
    article = linking_to(category, hidden)
    token = mint_preview_token(page=article, user=editor)
    answer = api.get("/api/v1/preview/", {"token": token})
    assert answer.status_code == 200
    assert answer.json()["body"][0]["value"]["html"] == (
        f"<p>Mở đầu, {LINK_TEXT}, rồi kết.</p>"
    )
