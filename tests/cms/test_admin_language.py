"""The admin is Vietnamese whatever the browser asks, to the last word.

Each screen an editor meets is loaded with an English browser
(``Accept-Language: en``) and its visible text (and the placeholders, titles
and labels read aloud) is searched for English words.
"""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timesince import timesince
from wagtail.users.models import UserProfile

from articles.newsroom import setup_newsroom
from tests.factories import make_article, make_image, vn_time

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
# Words of Wagtail's and Django's English that an editor would notice.
DENY = (
    "Sign in",
    "Password",
    "Enter your",
    "Dashboard",
    "Pages",
    "Page explorer",
    "Save draft",
    "Publish",
    "Preview",
    "Images",
    "Choose",
    "Search",
    "Approve",
    "Request changes",
    "Comment",
    "Reports",
    "Readership",
    "Most viewed",
    "Settings",
    "Cancel",
    "Delete",
    "Edit",
    "Status",
    "Title",
    "ago",
    "years",
    "minutes",
    "Root",
    "Moderators",
    "comma-separated",
    "Submit",
    "Workflow",
    "Collection",
    "Upload",
    "Help",
    "Add child page",
    "Sort",
    "Filter",
    "Show",
    "Previous",
    "Next",
)
_DENIED = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in DENY) + r")\b")
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>", re.S | re.I)
_ATTRIBUTES = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')


def shown_text(html: str) -> str:
    """What an editor reads and hears: text and the attributes read aloud."""
    visible = _HIDDEN.sub(" ", html)
    attributes = " ".join(_ATTRIBUTES.findall(visible))
    text = re.sub(r"<[^>]+>", " ", visible)
    return " ".join(f"{text} {attributes}".split())


def english_in(html: str) -> list[str]:
    text = shown_text(html)
    return sorted(
        {text[max(0, m.start() - 30) : m.end() + 30] for m in _DENIED.finditer(text)}
    )


@pytest.fixture
def article(category):
    setup_newsroom()  # as `make run` and the deploy's migrate step do
    return make_article(category=category, title="Hội nghị chuyên đề")


@pytest.fixture
def in_review(editor_client, editor, category):
    """An article waiting in the first approval step."""
    setup_newsroom()
    draft = make_article(category=category, title="Bài chờ duyệt", publish=False)
    draft.get_workflow().start(draft, editor)
    draft.refresh_from_db()
    return draft


def test_the_sign_in_page(client):
    html = client.get("/admin/login/", **ENGLISH).content.decode()
    assert '<html lang="vi"' in html
    assert "Mật khẩu" in shown_text(html)
    assert 'placeholder="Nhập tên đăng nhập"' in html
    assert english_in(html) == []


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/articles/",
        "/admin/reports/most-viewed/",
        "/admin/reports/workflow/",
        "/admin/reports/site-history/",
        "/admin/images/",
        "/admin/account/",
    ],
)
def test_each_screen(editor_client, article, url):
    response = editor_client.get(url, **ENGLISH)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi"' in html
    assert english_in(html) == []


def test_the_explorer(editor_client, article, category):
    for page in (category.get_parent(), category, category.get_parent().get_parent()):
        url = reverse("wagtailadmin_explore", args=(page.pk,))
        html = editor_client.get(url, **ENGLISH).content.decode()
        assert english_in(html) == [], page


def test_the_article_edit_form(editor_client, article):
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    html = editor_client.get(url, **ENGLISH).content.decode()
    assert "Danh sách thẻ, cách nhau bằng dấu phẩy." in html
    assert english_in(html) == []


def test_the_image_chooser(editor_client):
    make_image(title="Ảnh hội nghị")
    response = editor_client.get(reverse("wagtailimages_chooser:choose"), **ENGLISH)
    html = json.loads(response.content)["html"]
    assert "Ảnh hội nghị" in html
    assert english_in(html) == []


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_the_workflow_dialogs(editor_client, in_review, action):
    task_state = in_review.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(in_review.pk, action, task_state.pk),
    )
    html = json.loads(editor_client.get(url, **ENGLISH).content)["html"]
    assert "bình luận" in shown_text(html).lower()
    assert english_in(html) == []

    edit = reverse("wagtailadmin_pages:edit", args=(in_review.pk,))
    page = editor_client.get(edit, **ENGLISH).content.decode()
    assert "Duyệt tin bài" in page
    assert english_in(page) == []


def test_relative_ages_are_vietnamese():
    with translation.override("vi"):
        nine_years = timesince(timezone.now() - timedelta(days=9 * 366))
        four_minutes = timesince(timezone.now() - timedelta(minutes=4))
    # Django keeps number and unit together with a no-break space.
    assert nine_years.replace("\xa0", " ") == "9 năm"
    assert four_minutes.replace("\xa0", " ") == "4 phút"


def test_english_is_still_a_choice_in_the_account(editor_client, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    html = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en"' in html
    assert "Dashboard" in html


def test_listings_show_the_date_and_the_age_on_hover(editor_client, category):
    make_article(
        category=category, title="Bài cũ", published_at=vn_time(2017, 4, 21, 8, 25)
    )
    html = editor_client.get("/admin/articles/", **ENGLISH).content.decode()
    dates = re.findall(
        r'data-w-tooltip-content-value="([^"]*)".*?<time[^>]*>\s*([^<]*?)\s*</time>',
        html,
        re.S,
    )
    hover = dict((shown, age) for age, shown in dates)
    assert "21/04/2017 08:25" in hover
    assert hover["21/04/2017 08:25"].endswith("năm trước")


# --- offline installs ---------------------------------------------------------


def test_no_gravatar_and_no_release_check_by_default(editor_client, article):
    html = editor_client.get("/admin/", **ENGLISH).content.decode()
    assert "gravatar.com" not in html
    assert "w-upgrade" not in html  # the panel that asks wagtail.org
    html = editor_client.get("/admin/account/", **ENGLISH).content.decode()
    assert "gravatar.com" not in html


def test_both_can_be_turned_on(editor_client, article, settings):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar"
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = True
    html = editor_client.get("/admin/", **ENGLISH).content.decode()
    assert "gravatar.com/avatar" in html
    assert "w-upgrade" in html
