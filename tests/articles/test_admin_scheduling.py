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
