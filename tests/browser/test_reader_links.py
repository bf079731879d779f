"""A link in an article's body to an article readers may not see yet (dated
ahead: the kind of hidden page that leaked most) is plain text in the reader,
in a real Chromium; a link to a visible article stays a link. Each hidden kind
is covered through the API in tests/api/test_page_links.py."""

import json

from playwright.sync_api import expect

from harness.server import manage
from tests.browser.test_reader import api_get

HIDDEN_TITLE = "Bài hẹn giờ đăng: chưa ai được đọc"
SETUP = """
import json
from datetime import datetime, timedelta
from django.utils import timezone
from wagtail.rich_text import RichText
from articles.models import ArticlePage
from articles.services import ArticleData, get_or_create_category, upsert_article
from articles.vietnamese import TIME_ZONE

category = get_or_create_category(name="Thông báo")
hidden, _ = upsert_article(category=category, data=ArticleData(
    key="links:hidden", title=%(hidden)r,
    published_at=timezone.now() + timedelta(days=1),
    body=[("paragraph", RichText("<p>Chưa đến giờ.</p>"))]))
visible = ArticlePage.objects.get(legacy_key="demo:nghi-le-30-4")
link = '<a linktype="page" id="{}">{}</a>'
linking, _ = upsert_article(category=category, data=ArticleData(
    key="links:linking", title="Bài có liên kết",
    # Older than every demo article: no other test's neighbours change.
    published_at=datetime(2016, 1, 4, 9, 0, tzinfo=TIME_ZONE),
    body=[("paragraph", RichText("<p>Xem " + link.format(hidden.pk, "bài sắp đăng")
        + " và " + link.format(visible.pk, "lịch nghỉ lễ") + ".</p>"))]))
print(json.dumps({"linking": linking.slug, "hidden": hidden.slug,
                  "visible": visible.url}))
"""


def test_a_link_to_an_article_not_yet_published_is_plain_text(page, live_site):
    made = json.loads(
        manage(live_site.env, "shell", "-c", SETUP % {"hidden": HIDDEN_TITLE})
        .strip()
        .splitlines()[-1]
    )
    page.goto(f"/thong-bao/{made['linking']}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bài có liên kết")
    story = page.locator(".story-body")
    expect(story).to_contain_text("Xem bài sắp đăng và lịch nghỉ lễ.")
    expect(story.get_by_role("link", name="lịch nghỉ lễ")).to_have_attribute(
        "href", made["visible"]
    )
    expect(story.get_by_role("link", name="bài sắp đăng")).to_have_count(0)
    html = page.content()
    assert made["hidden"] not in html and HIDDEN_TITLE not in html
    # The JSON the reader read says the same.
    detail = api_get(live_site, f"/api/v1/articles/slug/{made['linking']}/")
    assert made["hidden"] not in json.dumps(detail)
    assert "bài sắp đăng" in detail["body_html"]
