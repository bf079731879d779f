"""The newsroom's whole job in the real admin, each role in its own English Chromium.

On the demo newsroom (``admin_server``: ``make run``'s steps): the reporter
("Phóng viên", ``phongvien``) writes an article, uploads a photo captioned
"Quang cảnh hội nghị" and chooses it as the feature image and in an image block
of the body, previews and submits; the editor ("Biên tập viên", ``bientap``)
sends it back with a comment, which the reporter reads where they edit before
fixing and resubmitting; the editor approves; the leader ("Lãnh đạo duyệt",
``lanhdao``) approves the last step, which publishes; the API then shows the
article with its photo and caption. Screenshots of each step go to
``reader/screenshots/workflow-*.png``.
"""

import json
import os
import re
import urllib.request

import pytest
from PIL import Image

from tests.browser.conftest import CHROMIUM, SCREENSHOTS

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Debian's chromium"
)

TITLE = "Hội nghị tổng kết công tác năm 2026"
PHOTO_TITLE = "Hội nghị tổng kết"
CAPTION = "Quang cảnh hội nghị"
FIRST_TEXT = "Sáng nay, quận tổ chức hội nghị tổng kết."
FIX = " Đã bổ sung nguồn ảnh."
COMMENT = "Thiếu nguồn ảnh, bổ sung giúp."


def expect(target):
    from playwright.sync_api import expect

    return expect(target)


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"workflow-{name}.png", full_page=True)


def _api(url, path):
    request = urllib.request.Request(url + path, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _footer_action(page, name):
    """A button of the editor's footer, its dropdown opened when needed."""
    button = page.locator("footer").get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        page.click("footer [data-w-dropdown-target='toggle']")
    return button


def _choose_uploaded(page, area, photo):
    area.get_by_role("button", name="Chọn ảnh").click()
    modal = page.locator(".modal")
    modal.get_by_role("tab", name="Tải lên").click()
    modal.locator("input[type=file]").set_input_files(photo)
    modal.locator("#id_image-chooser-upload-title").fill(PHOTO_TITLE)
    modal.locator("#id_image-chooser-upload-caption").fill(CAPTION)
    modal.locator("#tab-upload form button[type=submit]").click()
    modal.wait_for(state="detached")


def _choose_existing(page, area):
    area.get_by_role("button", name="Chọn ảnh").click()
    modal = page.locator(".modal")
    modal.locator("input[name=q]").fill(PHOTO_TITLE)  # the library, searched
    modal.locator("a[data-chooser-modal-choice]", has_text=PHOTO_TITLE).first.click()
    modal.wait_for(state="detached")


def _add_block(page, label):
    page.locator("[data-contentpath=body] [data-streamfield-stream-container]").locator(
        "button[title], button.c-sf-add-button"
    ).last.click()
    page.get_by_role("option", name=label, exact=True).first.click()


def test_reporter_editor_and_leader_publish_an_article_with_a_photo(
    sign_in, admin_server, tmp_path
):
    photo = tmp_path / "hoi-nghi.jpg"
    Image.new("RGB", (1200, 800), (12, 140, 70)).save(photo, "JPEG")
    category_id = _api(admin_server.url, "/api/v1/categories/")["results"][0]["id"]

    # --- the reporter writes, attaches the photo, previews, submits -------------
    reporter = sign_in("phongvien")
    reporter.goto(f"/admin/pages/add/articles/articlepage/{category_id}/")
    reporter.wait_for_timeout(2500)  # the form's unsaved-changes snapshot
    reporter.click("#id_title")
    reporter.keyboard.type(TITLE)
    _choose_uploaded(
        reporter, reporter.locator("[data-contentpath=feature_image]"), photo
    )
    expect(reporter.locator("[data-contentpath=feature_image]")).to_contain_text(
        PHOTO_TITLE
    )
    _add_block(reporter, "Đoạn văn")
    reporter.locator(".public-DraftEditor-content").first.click()
    reporter.keyboard.type(FIRST_TEXT)
    _add_block(reporter, "Ảnh")
    body = reporter.locator("[data-contentpath=body]")
    _choose_existing(reporter, body)
    body.locator("input[name$='-value-caption']").fill(CAPTION)
    with reporter.expect_navigation():
        _footer_action(reporter, "Lưu bản nháp").click()
    page_id = int(re.search(r"/pages/(\d+)/edit/", reporter.url)[1])
    _shot(reporter, "1-reporter-draft")
    # One article, and its photo is the reporter's upload.
    assert admin_server.query(
        "select count(*) from wagtailcore_page where title = ?", TITLE
    ) == [(1,)]
    assert admin_server.query(
        "select caption from articles_newsimage where title = ?", PHOTO_TITLE
    ) == [(CAPTION,)]

    reporter.locator("[data-side-panel-toggle=preview]").click()
    preview = reporter.frame_locator("#w-preview-iframe")
    expect(preview.locator("body")).to_contain_text(TITLE)
    expect(preview.locator("body")).to_contain_text(CAPTION)
    _shot(reporter, "2-reporter-preview")
    reporter.locator("[data-side-panel-toggle=preview]").click()

    with reporter.expect_navigation():
        _footer_action(reporter, "Gửi tới Duyệt tin bài").click()
    _shot(reporter, "3-reporter-submitted")

    # --- the editor sends it back with a comment --------------------------------
    editor = sign_in("bientap")
    editor.goto(f"/admin/pages/{page_id}/edit/")
    _footer_action(editor, "Yêu cầu sửa").click()
    comment = editor.locator("textarea[name=comment]")
    comment.wait_for()
    comment.fill(COMMENT)
    _shot(editor, "4-editor-sends-back")
    with editor.expect_navigation():
        editor.locator("form:has(textarea[name=comment]) button[type=submit]").click()

    # --- the reporter reads the comment where they edit, fixes, resubmits --------
    reporter.goto(f"/admin/pages/{page_id}/edit/")
    note = reporter.locator(".messages")
    expect(note).to_contain_text(f"“{COMMENT}”")
    expect(note).to_contain_text("Trần Thị Bình")  # who sent it back
    _shot(reporter, "5-reporter-reads-comment")
    reporter.locator(".public-DraftEditor-content").first.click()
    reporter.keyboard.press("End")
    reporter.keyboard.type(FIX)
    with reporter.expect_navigation():
        _footer_action(reporter, "Gửi lại tới Biên tập viên duyệt").click()
    _shot(reporter, "6-reporter-resubmitted")

    # --- the editor approves; the leader approves and publishes ----------------
    editor.goto(f"/admin/pages/{page_id}/edit/")
    with editor.expect_navigation():
        _footer_action(editor, "Phê duyệt").click()
    _shot(editor, "7-editor-approved")
    assert TITLE not in [
        a["title"] for a in _api(admin_server.url, "/api/v1/articles/")["results"]
    ]

    leader = sign_in("lanhdao")
    leader.goto(f"/admin/pages/{page_id}/edit/")
    with leader.expect_navigation():
        _footer_action(leader, "Phê duyệt và xuất bản").click()
    _shot(leader, "8-leader-published")

    # --- readers: the API shows the article with its photo and caption ---------
    listed = {
        a["title"]: a for a in _api(admin_server.url, "/api/v1/articles/")["results"]
    }
    assert TITLE in listed
    detail = _api(admin_server.url, f"/api/v1/articles/{listed[TITLE]['id']}/")
    assert detail["feature_image"]["caption"] == CAPTION
    blocks = {block["type"]: block for block in detail["body"]}
    assert blocks["image"]["value"]["caption"] == CAPTION
    assert blocks["image"]["value"]["image"]["url"].startswith("http")
    assert FIRST_TEXT + FIX in json.dumps(blocks["paragraph"], ensure_ascii=False)
