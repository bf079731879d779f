"""The admin in a real Chromium, as a newsroom with English browsers meets it.

The session's Chromium and one development server for the module, set up as
``make run`` does (``admin_url`` in ``tests/browser/conftest.py``). Each
editor's browser asks for English (``Accept-Language: en-US``); the admin
answers in Vietnamese. A writer starts an article whose title is taken:
the slug the admin proposes is already free, the autosave keeps it; the article
then goes through both approval steps and only then reaches the API.
"""

import json
import os
import re
import urllib.request

import pytest

from tests.browser.conftest import CHROMIUM, ENGLISH

# Words an English admin would show on these screens.
DENY = re.compile(
    r"\b(?:Sign in|Password|Dashboard|Pages|Save draft|Publish|Submit|Approve|"
    r"Request changes|Comment|Moderators|Root|Cancel|Settings|Search)\b"
)
SEED_TITLE = "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”"
SEED_SLUG = "hoi-nghi-chuyen-de-thuc-trang-tinh-hinh-cong-tac-ket-nap-dang-vien"

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Debian's chromium"
)


def expect(target):
    from playwright.sync_api import expect

    return expect(target)


def _english(page) -> list[str]:
    return sorted(set(DENY.findall(page.inner_text("body"))))


def _open_actions(page):
    page.click("footer [data-w-dropdown-target='toggle']")


def test_the_sign_in_page_is_vietnamese_for_an_english_browser(browser, admin_url):
    context = browser.new_context(locale="en-US", extra_http_headers=ENGLISH)
    page = context.new_page()
    page.goto(f"{admin_url}/admin/login/")
    assert page.get_attribute("html", "lang") == "vi"
    assert page.get_attribute("#id_username", "placeholder") == "Nhập tên đăng nhập"
    assert "Mật khẩu" in page.inner_text("body")
    assert _english(page) == []
    context.close()


def test_a_writer_submits_two_approvers_publish(sign_in, admin_url):
    writer = sign_in("phongvien")
    assert _english(writer) == []
    category_id = _api(admin_url, "/api/v1/categories/")["results"][0]["id"]
    writer.goto(f"/admin/pages/add/articles/articlepage/{category_id}/")
    # The form's unsaved-changes check takes its snapshot 2 s after loading.
    writer.wait_for_timeout(2500)
    writer.click("#id_title")
    writer.keyboard.type(SEED_TITLE)
    writer.keyboard.press("Tab")
    # The server's free slug, then the autosave that creates the draft.
    # (Playwright's expect polls without evaluating strings: the admin's CSP
    # forbids eval.)
    expect(writer.locator("#id_slug")).to_have_value(f"{SEED_SLUG}-2")
    expect(writer).to_have_url(re.compile(r"/pages/\d+/edit/"))
    page_id = re.search(r"/pages/(\d+)/edit/", writer.url)[1]
    assert _english(writer) == []

    _open_actions(writer)
    assert writer.locator("footer button[name=action-publish]").count() == 0
    writer.click("footer button[name=action-submit]")
    writer.wait_for_load_state("networkidle")

    editor = sign_in("bientap")
    editor.goto(f"/admin/pages/{page_id}/edit/")
    _open_actions(editor)
    editor.get_by_text("Phê duyệt kèm bình luận").click()
    dialog = editor.locator("textarea[name=comment]")
    dialog.wait_for()
    assert _english(editor) == []
    dialog.fill("Đã kiểm tra nguồn.")
    with editor.expect_navigation():
        editor.locator("form:has(textarea[name=comment]) button[type=submit]").click()

    assert SEED_TITLE not in _api_titles(admin_url, exclude_slug=SEED_SLUG)

    approver = sign_in("lanhdao")
    approver.goto(f"/admin/pages/{page_id}/edit/")
    _open_actions(approver)
    assert _english(approver) == []
    last_step = approver.locator("footer").get_by_role(
        "button", name="Phê duyệt và xuất bản", exact=True
    )
    with approver.expect_navigation():
        last_step.click()

    assert SEED_TITLE in _api_titles(admin_url, exclude_slug=SEED_SLUG)


def _api(url, path):
    request = urllib.request.Request(url + path, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _api_titles(url, *, exclude_slug):
    """Titles of the published articles the API lists, the seed left out."""
    articles = _api(url, "/api/v1/articles/")["results"]
    return [a["title"] for a in articles if a["slug"] != exclude_slug]
