"""Hidden content never appears: drafts, unpublished, expired, scheduled, private."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from articles.models import ArticlePage
from tests.factories import make_article, vn_time

SECRET = "Bí mật tuyệt đối"


def _draft(category):
    return make_article(category=category, title=SECRET, publish=False)


def _unpublished(category):
    article = make_article(category=category, title=SECRET)
    article.unpublish()
    return article


def _expired(category):
    # Expired but still live: the publish_scheduled command has not run yet.
    article = make_article(category=category, title=SECRET)
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    return article


def _scheduled(category):
    article = make_article(category=category, title=SECRET, publish=False)
    article.go_live_at = timezone.now() + timedelta(days=1)
    article.save_revision().publish()
    return article


def _scheduled_row(category):
    # A live row whose go_live_at lies ahead (e.g. set by a data import).
    article = make_article(category=category, title=SECRET)
    ArticlePage.objects.filter(pk=article.pk).update(
        go_live_at=timezone.now() + timedelta(days=1)
    )
    return article


def _restricted(category):
    article = make_article(category=category, title=SECRET)
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return article


def _in_private_category(category):
    from tests.factories import make_category

    private = make_category(title="Nội bộ")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    return make_article(category=private, title=SECRET)


def _in_unpublished_category(category):
    from tests.factories import make_category

    archived = make_category(title="Lưu trữ")
    article = make_article(category=archived, title=SECRET)
    archived.unpublish()  # the article itself stays live
    return article


def _in_expired_category(category):
    from tests.factories import make_category

    ended = make_category(title="Chuyên đề đã kết thúc")
    article = make_article(category=ended, title=SECRET)
    Page.objects.filter(pk=ended.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    return article


HIDDEN = [
    _draft, _unpublished, _expired, _scheduled, _scheduled_row, _restricted,
    _in_private_category, _in_unpublished_category, _in_expired_category,
]  # fmt: skip


@pytest.mark.parametrize("make_hidden", HIDDEN)
def test_hidden_article_is_nowhere(
    api, category, make_hidden, django_capture_on_commit_callbacks
):
    before = make_article(
        category=category, title="Trước", published_at=vn_time(2020, 1, 1)
    )
    after = make_article(
        category=category, title="Sau", published_at=vn_time(2020, 1, 3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        hidden = make_hidden(category)
        ArticlePage.objects.filter(pk=hidden.pk).update(
            published_at=vn_time(2020, 1, 2)
        )
        hidden.refresh_from_db()
        hidden.save()  # re-index with the title, as an editor's save would

    listing = api.get("/api/v1/articles/", {"page_size": 100})
    assert SECRET.encode() not in listing.content
    assert listing.json()["count"] == 2
    assert (
        api.get("/api/v1/articles/", {"search": "bi mat tuyet doi"}).json()["count"]
        == 0
    )
    assert api.get(f"/api/v1/articles/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/articles/slug/{hidden.slug}/").status_code == 404
    for visible in (before, after):
        detail = api.get(f"/api/v1/articles/{visible.pk}/")
        assert detail.status_code == 200
        assert SECRET.encode() not in detail.content
    assert api.get(f"/api/v1/articles/{before.pk}/").json()["newer"]["title"] == "Sau"
    categories = api.get("/api/v1/categories/").json()["results"]
    assert {item["slug"]: item["article_count"] for item in categories}[
        category.slug
    ] == 2
    assert api.get("/api/v1/site/").json()["article_count"] == 2
    # Filtered counts leave it out too (they are counted apart from the rows).
    for filters, expected in (
        ({"category": category.slug}, ["Sau", "Trước"]),
        ({"published_after": "2020-01-02"}, ["Sau"]),
        ({"published_before": "2020-01-03"}, ["Trước"]),
    ):
        answer = api.get("/api/v1/articles/", filters).json()
        assert [item["title"] for item in answer["results"]] == expected
        assert answer["count"] == len(expected)


def test_an_article_dated_ahead_is_hidden_until_then(api, category):
    make_article(category=category, title="Hôm qua", published_at=vn_time(2020, 1, 1))
    ahead = make_article(category=category, title=SECRET)
    ArticlePage.objects.filter(pk=ahead.pk).update(
        published_at=timezone.now() + timedelta(hours=1)
    )

    listing = api.get("/api/v1/articles/").json()
    assert [item["title"] for item in listing["results"]] == ["Hôm qua"]
    assert listing["count"] == 1
    assert api.get("/api/v1/site/").json()["article_count"] == 1
    assert api.get(f"/api/v1/articles/{ahead.pk}/").status_code == 404


def test_private_category_itself_is_hidden(api, category):
    PageViewRestriction.objects.create(
        page=category, restriction_type=PageViewRestriction.LOGIN
    )
    assert api.get("/api/v1/categories/").json()["count"] == 0
    assert api.get(f"/api/v1/categories/{category.slug}/").status_code == 404


def test_draft_changes_to_a_live_article_stay_unseen(api, category):
    article = make_article(category=category, title="Bản đã đăng")
    article.title = "Bản nháp chưa duyệt"
    article.save_revision()

    data = api.get(f"/api/v1/articles/{article.pk}/").json()

    assert data["title"] == "Bản đã đăng"


def test_a_tag_filtered_count_leaves_hidden_articles_out(api, category):
    for title, day in (("Một", 1), ("Hai", 2), (SECRET, 3)):
        article = make_article(
            category=category, title=title, published_at=vn_time(2020, 1, day)
        )
        article.tags.add("Quận 11", "Hội nghị")
        article.save_revision().publish()
    ArticlePage.objects.get(title=SECRET).unpublish()

    answer = api.get("/api/v1/articles/", {"tag": "Quận 11"}).json()
    assert [item["title"] for item in answer["results"]] == ["Hai", "Một"]
    assert answer["count"] == 2
