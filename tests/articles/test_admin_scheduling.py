"""The two dates explained, and the edit form's warning when they disagree."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article, vn_time

pytestmark = pytest.mark.django_db


def _edit(client, article):
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_both_fields_explain_themselves_in_vietnamese(editor_client, category):
    html = _edit(editor_client, make_article(category=category))
    # "Xuất bản lúc" (Settings) and the schedule dialog's go-live time.
    assert "Ngày giờ bạn đọc thấy trên bài viết" in html
    assert "không lên lịch xuất bản" in html
    assert "Thời điểm bài viết bắt đầu hiển thị với bạn đọc" in html


def test_no_warning_when_they_agree(editor_client, category):
    article = make_article(category=category, published_at=vn_time(2017, 4, 21, 8, 25))
    assert "bạn đọc chỉ thấy bài" not in _edit(editor_client, article)
    assert "ở tương lai:" not in _edit(editor_client, article)


def test_a_warning_when_they_disagree(editor_client, category):
    article = make_article(
        category=category,
        publish=False,
        published_at=vn_time(2030, 5, 1, 8, 0),
        go_live_at=vn_time(2030, 4, 30, 7, 0),
    )
    html = _edit(editor_client, article)
    assert (
        "Bài viết ghi ngày 01/05/2030 08:00 nhưng bắt đầu hiển thị lúc "
        "30/04/2030 07:00" in html
    )


def test_a_warning_when_the_date_is_in_the_future_without_a_schedule(
    editor_client, category
):
    later = timezone.now() + timezone.timedelta(days=3)
    article = make_article(category=category, published_at=later)
    html = _edit(editor_client, article)
    assert "ở tương lai: bạn đọc sẽ không thấy bài viết trước lúc đó" in html


def _publish_form(**fields):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    return nested_form_data(
        {
            "title": "Lịch tiếp công dân tháng 12",
            "slug": "",
            "excerpt": "",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            "action-publish": "1",
            **fields,
        }
    )


def _add_url(category):
    return reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", category.pk)
    )


@pytest.mark.parametrize("typed", ["2030-12-24T08:00", "2030-12-24 08:00:00"])
def test_an_iso_go_live_date_schedules_never_publishes_now(
    editor_client, category, typed
):
    from articles.models import ArticlePage

    response = editor_client.post(_add_url(category), _publish_form(go_live_at=typed))
    assert response.status_code == 302
    article = ArticlePage.objects.get()
    assert not article.live
    revision = article.get_latest_revision_as_object()
    assert timezone.localtime(revision.go_live_at) == vn_time(2030, 12, 24, 8, 0)
    assert article.scheduled_revision is not None


def test_an_unreadable_go_live_date_is_refused_in_vietnamese(editor_client, category):
    from articles.models import ArticlePage

    response = editor_client.post(
        _add_url(category), _publish_form(go_live_at="24-12-2030 lúc 8 giờ")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["go_live_at"]
    assert errors == [
        "Nhập ngày giờ theo dạng 24/12/2030 08:00 (hoặc 2030-12-24T08:00)."
    ], errors
    assert not ArticlePage.objects.exists()
