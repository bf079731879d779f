"""The Wagtail admin works under its Content-Security-Policy: signing in, the
page editor, the image chooser and the live preview (the reader's preview
route, as ``make run`` sets it), in a real browser, with no violation reported
(``securitypolicyviolation`` events) and no script error."""

import pytest

from harness.demo_site import EDITOR

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def admin_page(browser, live_site):
    context = browser.new_context(base_url=live_site.url, locale="vi-VN")
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda message: (
            page.problems.append(message.text)
            if "CSP violation" in message.text
            or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    yield page
    context.close()


def test_editor_chooser_and_preview_work_under_the_policy(admin_page, live_site):
    page = admin_page
    response = page.goto("/admin/login/")
    assert "script-src" in response.headers["content-security-policy"]
    page.fill("#id_username", EDITOR[0])
    page.fill("#id_password", EDITOR[1])
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_site.url}/admin/")

    seed = page.request.get(f"/api/v1/articles/slug/{live_site.seed_slug}/").json()
    page.goto(f"/admin/pages/{seed['id']}/edit/")
    page.wait_for_load_state("networkidle")
    # The rich text editor (Draftail) took over its field.
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Thêm một câu.")
    assert "Thêm một câu." in editor.inner_text()

    # The image chooser: a modal, loaded and run by the admin's scripts.
    page.locator("#id_feature_image-chooser .w-dropdown__toggle").click()
    page.locator("[data-tippy-root] button").first.click()
    modal = page.locator(".modal-content")
    modal.get_by_text("Ngày hội hiến máu tình nguyện đợt 2 năm 2017").first.click()
    page.wait_for_selector(".modal-content", state="detached")
    assert (
        page.locator("#id_feature_image-title").inner_text()
        == "Ngày hội hiến máu tình nguyện đợt 2 năm 2017"
    )

    # The live preview panel shows the unsaved edit in its frame.
    page.locator("button[data-side-panel-toggle='preview']").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll("iframe")].some(
            (frame) => frame.contentDocument?.body?.innerText.includes("Thêm một câu.")
        )""",
        timeout=30_000,
    )

    assert page.problems == []
