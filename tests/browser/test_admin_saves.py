"""Saves in the real admin never duplicate an article nor drop what was typed.

A writer (English Chromium) on the demo newsroom (``admin_server``): "Lưu bản
nháp" clicked at delays around Wagtail's autosave (its 500 ms debounce, then the
request) leaves exactly one article per "new article" form; text typed just
before Ctrl+S is in the saved revision.
"""

import json
import os
import re

import pytest

from tests.browser.conftest import CHROMIUM

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Debian's chromium"
)

# Around the autosave: before it fires, while its request is in flight (the
# reported 1.2-1.4 s), and after its answer turned the form into an edit form.
DELAYS_MS = (0, 250, 450, 550, 700, 900, 1100, 1200, 1300, 1400, 1700, 2500)


def _new_article(page, category_id):
    page.goto(f"/admin/pages/add/articles/articlepage/{category_id}/")
    page.locator("#id_title").wait_for()
    # The form's unsaved-changes check, which starts the autosave, takes its
    # snapshot 2 s after loading.
    page.wait_for_timeout(2500)


def _save_button(page):
    return page.locator("footer button[type=submit]:not([name])").first


def _category_id(admin_server):
    return admin_server.query(
        "select p.id from wagtailcore_page p join django_content_type c "
        "on c.id = p.content_type_id where c.model = 'categorypage' order by p.path"
    )[0][0]


def _articles_titled(admin_server, title):
    return admin_server.query(
        "select id, slug from wagtailcore_page where title = ? order by id", title
    )


@pytest.mark.parametrize("delay", DELAYS_MS)
def test_save_racing_autosave_makes_one_article(sign_in, admin_server, delay):
    writer = sign_in("phongvien")
    _new_article(writer, _category_id(admin_server))
    title = f"Hội nghị giao ban quý {delay}"
    writer.click("#id_title")
    writer.keyboard.type(title)
    writer.wait_for_timeout(delay)
    with writer.expect_navigation():
        _save_button(writer).click()
    expect_edit = re.compile(r"/admin/pages/(\d+)/edit/")
    assert expect_edit.search(writer.url), writer.url
    # A late autosave (pending when the form left) has had time to arrive.
    writer.wait_for_timeout(1500)
    articles = _articles_titled(admin_server, title)
    assert len(articles) == 1, articles
    assert int(expect_edit.search(writer.url)[1]) == articles[0][0]
    assert "Lưu bản nháp" in writer.inner_text("footer")
    # No autosave of the old form paused the new one ("would overwrite").
    assert writer.locator(".footer__save-warning").inner_text().strip() == ""


def _latest_paragraphs(admin_server, page_id) -> list[str]:
    """The paragraphs' HTML in the article's newest revision."""
    (content,) = admin_server.query(
        "select content from wagtailcore_revision where object_id = ? "
        "order by created_at desc limit 1",
        str(page_id),
    )[0]
    body = json.loads(json.loads(content)["body"])  # StreamField keeps JSON text
    return [block["value"] for block in body if block["type"] == "paragraph"]


@pytest.mark.parametrize("shortly", [0, 50, 100, 150, 200])
def test_text_typed_just_before_ctrl_s_is_saved(sign_in, admin_server, shortly):
    writer = sign_in("phongvien")
    _new_article(writer, _category_id(admin_server))
    writer.click("#id_title")
    writer.keyboard.type(f"Ra quân làm sạch kênh {shortly}")
    with writer.expect_navigation():
        _save_button(writer).click()
    page_id = int(re.search(r"/pages/(\d+)/edit/", writer.url)[1])

    # A paragraph in the body (Draftail), typed and saved at once.
    writer.locator("[data-streamfield-stream-container] button").first.click()
    writer.get_by_role("option", name=re.compile("Đoạn văn|Paragraph")).click()
    editor = writer.locator(".public-DraftEditor-content").first
    editor.click()
    writer.keyboard.type("Sáng nay, hơn 200 đoàn viên ra quân.")
    writer.wait_for_timeout(shortly)
    typed = editor.inner_text()
    assert typed == "Sáng nay, hơn 200 đoàn viên ra quân."
    with writer.expect_navigation():
        writer.keyboard.press("Control+s")
    assert "Đã cập nhật trang" in writer.inner_text(".messages")
    # An autosave sent late (its debounce) has had time to arrive.
    writer.wait_for_timeout(1500)
    paragraphs = _latest_paragraphs(admin_server, page_id)
    assert len(paragraphs) == 1 and paragraphs[0].endswith(f">{typed}</p>"), paragraphs
    # The form shown after the save has it too.
    assert writer.locator(".public-DraftEditor-content").first.inner_text() == typed


def test_an_iso_date_typed_in_the_schedule_is_kept(sign_in, admin_server):
    """The picker used to replace text it could not read with the current time,
    so the article went live at once."""
    leader = sign_in("lanhdao")
    _new_article(leader, _category_id(admin_server))
    leader.locator("[data-side-panel-toggle=status]").click()
    leader.locator(
        "[data-side-panel=status] [data-a11y-dialog-show='schedule-publishing-dialog']"
    ).click()
    go_live = leader.locator("#id_go_live_at")
    go_live.click()
    leader.keyboard.type("2030-12-24T08:00")
    go_live.evaluate("input => input.blur()")
    leader.wait_for_timeout(300)
    assert go_live.input_value() == "2030-12-24T08:00"
