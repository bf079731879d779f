"""What the English walk (tests/browser/test_admin_english.py) found, each
fixed and held here screen by screen, with an English browser."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.admin.localization import get_available_admin_time_zones

from articles.default_groups import retire_wagtail_groups
from articles.newsroom import setup_newsroom
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _modal_html(client, name, **params) -> str:
    response = client.get(reverse(name), params, **ENGLISH)
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def _labels(html: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", label).split())
        for label in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]


def test_the_email_link_dialog(editor_client):
    html = _modal_html(editor_client, "wagtailadmin_choose_page_email_link")
    labels = _labels(html)
    for label in ("Địa chỉ email", "Chữ hiển thị của liên kết", "Tiêu đề thư"):
        assert any(label in shown for shown in labels), labels
    assert any("Nội dung thư" in shown for shown in labels), labels
    for english in ("Email address", "Link text", "Subject", "Body"):
        assert english not in html


def test_the_other_link_dialogs(editor_client):
    phone = _labels(_modal_html(editor_client, "wagtailadmin_choose_page_phone_link"))
    assert any("Số điện thoại" in shown for shown in phone), phone
    for name in ("external", "anchor", "phone"):
        html = _modal_html(editor_client, f"wagtailadmin_choose_page_{name}_link")
        assert "Chữ hiển thị của liên kết" in html
        assert "Link text" not in html


def test_the_email_link_dialog_still_makes_the_link(editor_client):
    response = editor_client.post(
        reverse("wagtailadmin_choose_page_email_link"),
        {
            "email-link-chooser-email_address": "toasoan@quan11.gov.vn",
            "email-link-chooser-link_text": "Gửi tòa soạn",
            "email-link-chooser-subject": "Góp ý",
            "email-link-chooser-body": "",
        },
    )
    result = json.loads(response.content)["result"]
    assert result["url"] == "mailto:toasoan@quan11.gov.vn?subject=G%C3%B3p%20%C3%BD"
    assert result["title"] == "Gửi tòa soạn"


def test_tab_titles_end_with_the_portal_name(editor_client):
    for response in (
        Client().get("/admin/login/", **ENGLISH),
        editor_client.get("/admin/", **ENGLISH),
    ):
        title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1]
        assert title.strip().endswith(f"- {settings.WAGTAIL_SITE_NAME}")
        assert "Wagtail" not in title


def test_no_wagtail_logo_labelled_wagtail_on_the_sign_in_page(client):
    html = client.get("/admin/login/", **ENGLISH).content.decode()
    assert 'aria-label="Wagtail"' not in html


def test_no_links_to_the_english_editor_guide(editor_client):
    html = editor_client.get("/admin/", **ENGLISH).content.decode()
    assert "guide.wagtail.org" not in html
    assert "docs.wagtail.org" not in html
    # The help menu keeps the keyboard shortcuts.
    assert "keyboard-shortcuts-trigger" in html


def test_the_dashboard_search_button_and_the_actions_label(editor_client, category):
    html = editor_client.get("/admin/", **ENGLISH).content.decode()
    assert 'value="Search"' not in html
    assert 'value="Tìm kiếm"' in html
    html = editor_client.get("/admin/articles/", **ENGLISH).content.decode()
    assert 'aria-label="Actions"' not in html
    assert 'aria-label="Thao tác"' in html


def test_page_search_names_what_it_counts(editor_client, category):
    make_article(category=category, title="Hội nghị chuyên đề")
    html = editor_client.get(
        "/admin/pages/search/", {"q": "hội nghị"}, **ENGLISH
    ).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "1-1 trong số 1 trang" in text
    assert "None" not in text


def test_the_sites_columns(editor_client):
    html = editor_client.get("/admin/sites/", **ENGLISH).content.decode()
    headers = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for vietnamese in ("Cổng", "Tên trang web", "Trang gốc"):
        assert vietnamese in headers
    for english in ("Port", "Site name", "Root page"):
        assert english not in headers


def test_a_wrong_password_message_starts_with_a_capital(client, editor):
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "sai"}, **ENGLISH
    )
    error = re.search(r'<li class="error">\s*(.*?)\s*</li>', response.content.decode())
    assert error[1].startswith("Sai tên đăng nhập hoặc mật khẩu")


def test_the_account_lists_no_foreign_time_zones(editor_client, settings):
    # One zone, the newsroom's: Wagtail then asks for none.
    html = editor_client.get("/admin/account/", **ENGLISH).content.decode()
    assert "current_time_zone" not in html
    assert "Pacific/Port_Moresby" not in html
    settings.WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh", "Asia/Bangkok"]
    get_available_admin_time_zones.cache_clear()  # Wagtail reads it once
    try:
        html = editor_client.get("/admin/account/", **ENGLISH).content.decode()
    finally:
        settings.WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh"]
        get_available_admin_time_zones.cache_clear()
    zones = re.findall(r'<option value="([^"]+/[^"]+)"', html)
    assert zones == ["Asia/Ho_Chi_Minh", "Asia/Bangkok"]


# --- Wagtail's default groups -------------------------------------------------


def test_setup_newsroom_removes_wagtails_unused_groups():
    assert Group.objects.filter(name__in=("Editors", "Moderators")).count() == 2
    setup_newsroom()
    names = set(Group.objects.values_list("name", flat=True))
    assert names == {"Phóng viên", "Biên tập viên", "Lãnh đạo duyệt"}


def test_a_default_group_with_members_is_renamed_not_deleted(django_user_model):
    user = django_user_model.objects.create_user("cu", password="x")
    user.groups.add(Group.objects.get(name="Moderators"))
    retire_wagtail_groups()
    retire_wagtail_groups()  # again: nothing changes
    assert not Group.objects.filter(name__in=("Editors", "Moderators")).exists()
    assert list(user.groups.values_list("name", flat=True)) == [
        "Nhóm kiểm duyệt mặc định cũ"
    ]


def test_a_groups_permissions_are_labelled_in_vietnamese(editor_client):
    setup_newsroom()
    group = Group.objects.get(name="Biên tập viên")
    html = editor_client.get(
        reverse("wagtailusers_groups:edit", args=(group.pk,)), **ENGLISH
    ).content.decode()
    assert "Can add" not in html
    assert "Can change" not in html
    assert "Publish any page" not in html
    assert "Xuất bản mọi trang" in html
    assert "Page*" not in " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_users_listing_says_yes_not_true(editor_client):
    html = editor_client.get("/admin/users/", **ENGLISH).content.decode()
    assert "True" not in re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
