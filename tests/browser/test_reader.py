"""The reader site in a real Chromium, against a live server with the demo
content: what a reader (and an editor previewing) sees and does."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from harness.demo_site import DRAFT_TITLE, EDITOR
from tests.browser.conftest import DESKTOP_CHROME, SCREENSHOTS

SEED_TITLE = "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”"
ODOMETER = re.compile(r"^\d{8,}$")


def api_get(live_site, path: str) -> dict:
    with urllib.request.urlopen(live_site.url + path, timeout=30) as response:
        return json.loads(response.read())


def seed_url(live_site) -> str:
    return f"/tin-tuc-su-kien/{live_site.seed_slug}/"


def odometer_digits(page) -> str:
    return "".join(page.locator(".odometer .digit").all_inner_texts())


def test_home_shows_the_seed_article_and_the_visit_counter(page):
    page.goto("/")
    expect(page.get_by_role("link", name=SEED_TITLE).first).to_be_visible()
    expect(page.get_by_role("heading", name="Số lượt truy cập")).to_be_visible()
    expect(page.locator(".odometer .digit").first).to_be_visible()
    # The portal's odometer: the demo's 37,453,905 visits, plus this reader's.
    expect(page.locator(".odometer")).to_contain_text("37.453.90")
    assert ODOMETER.match(odometer_digits(page))
    assert int(odometer_digits(page)) >= 37_453_905
    expect(page).to_have_title("Cổng thông tin điện tử Quận 11")


def test_article_shows_its_captioned_photo_and_counts_a_first_view(page, live_site):
    before = api_get(live_site, f"/api/v1/articles/slug/{live_site.seed_slug}/")
    page.goto("/")
    page.get_by_role("link", name=SEED_TITLE).first.click()

    expect(page).to_have_url(live_site.url + seed_url(live_site))
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(page.locator(".story-line")).to_contain_text("Tin tức sự kiện")
    expect(page.locator(".story-line")).to_contain_text("21/04/2017, 08:25")
    photo = page.locator("figure.photo", has=page.locator("img"))
    expect(photo.locator("figcaption")).to_have_text("Quang cảnh hội nghị")
    expect(photo.locator("img")).to_have_attribute("alt", "Quang cảnh hội nghị")
    expect(page.locator(".story-body ol > li")).to_have_count(6)
    # This reader's first view counts: the count shown goes up by one.
    shown = f"{before['view_count'] + 1:,}".replace(",", ".")
    expect(page.locator(".views")).to_have_text(f"Số lượt người xem: {shown}")
    expect(page).to_have_title(re.compile("^Hội nghị chuyên đề"))
    description = page.locator('meta[name="description"]')
    expect(description).to_have_attribute("content", re.compile("^Vừa qua, Ban"))


def test_older_and_newer_links_lead_away_and_back(page, live_site):
    page.goto(seed_url(live_site))
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    older = page.get_by_role("link", name=re.compile("^Tin đã đưa", re.I))
    older_title = older.locator("span").nth(1).inner_text()
    older.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(older_title)
    assert page.url != live_site.url + seed_url(live_site)
    page.get_by_role("link", name=re.compile("^Tin mới hơn", re.I)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(page).to_have_url(live_site.url + seed_url(live_site))


def test_search_without_marks_finds_the_seed(page, live_site):
    page.goto("/")
    page.get_by_role("searchbox", name="Tìm kiếm tin bài").fill("ket nap dang vien")
    page.get_by_role("button", name="Tìm").click()

    expect(page).to_have_url(re.compile(r"/tim-kiem/\?q=ket\+nap\+dang\+vien$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm kiếm")
    expect(page.locator(".result-count")).to_contain_text("“ket nap dang vien”")
    result = page.locator("main").get_by_role("link", name=SEED_TITLE)
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(live_site.url + seed_url(live_site))


def test_an_unknown_url_shows_the_404_page(page):
    page.goto("/khong-co-trang-nay/bai-viet-khong-ton-tai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page).to_have_title(re.compile("^Không tìm thấy trang"))
    page.get_by_role("link", name="Về trang chủ").click()
    expect(page.get_by_role("link", name=SEED_TITLE).first).to_be_visible()


def test_the_admin_preview_shows_the_draft_in_the_readers_layout(page, live_site):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(EDITOR[0])
    page.locator("#id_password").fill(EDITOR[1])
    page.locator("form button[type=submit]").click()
    page.goto(f"/admin/pages/{live_site.draft_id}/edit/")
    page.locator('[data-side-panel-toggle="preview"]').click()

    preview = page.frame_locator("iframe#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text(DRAFT_TITLE)
    expect(preview.locator(".masthead")).to_be_visible()
    expect(preview.locator(".preview-note")).to_be_visible()
    # Readers never see the draft.
    live = api_get(live_site, "/api/v1/articles/?search=Tet+Nguyen+dan")
    assert live["count"] == 0


@pytest.mark.parametrize("width", [360, 1280])
def test_home_and_article_fit_the_screen(browser, live_site, width):
    """Screenshots of home and article (reader/screenshots/, not committed),
    and no horizontal scrolling at a phone's width."""
    context = browser.new_context(
        base_url=live_site.url,
        user_agent=DESKTOP_CHROME,
        viewport={"width": width, "height": 800},
    )
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for name, path in (("home", "/"), ("article", seed_url(live_site))):
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_attached()
            expect(page.locator(".odometer .digit").first).to_be_visible()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
