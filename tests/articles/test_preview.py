"""Preview in the frontend, from the admin's side: "View live" and "Preview"
lead to the frontend, tokens are minted only for editors of the page, and
without the settings Wagtail's own preview is untouched."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from articles.models import ArticlePreview
from articles.previews import (
    InvalidPreviewToken,
    mint_preview_token,
    previewed_article,
    revoke_page_previews,
    revoke_preview_token,
)
from tests.cms.test_settings import load_settings
from tests.factories import make_article

pytestmark = pytest.mark.django_db

FRONTEND = "https://quan11.example.vn"
PREVIEW_ROUTE = FRONTEND + "/preview?token={token}"


@pytest.fixture
def frontend(settings):
    settings.FRONTEND_BASE_URL = FRONTEND
    settings.FRONTEND_PREVIEW_URL = PREVIEW_ROUTE
    return settings


@pytest.fixture
def article(category):
    return make_article(category=category, title="Hội nghị chuyên đề")


def edit_form(article, **fields):
    """The edit form as the admin posts it for the preview."""
    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "excerpt": "",
            "body": streamfield(
                [("paragraph", rich_text("<p>Bản nháp chưa xuất bản.</p>"))]
            ),
            "tags": "",
            "comments": inline_formset([]),
            **fields,
        }
    )


def admin_preview(client, article, **fields):
    """Post the form to the preview, then load the preview as the panel does."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    posted = client.post(url, edit_form(article, **fields))
    assert posted.status_code == 200
    assert json.loads(posted.content)["is_valid"] is True
    return client.get(url, {"in_preview_panel": "true"})


def token_of(response) -> str:
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(FRONTEND + "/preview?token=")
    return parse_qs(urlsplit(location).query)["token"][0]


@pytest.fixture
def other_editor(django_user_model, other_category):
    """An editor who may edit pages of "Thông báo" only."""
    user = django_user_model.objects.create_user("bientap", password="pass-word-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    group = Group.objects.create(name="Biên tập Thông báo")
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=other_category,
            permission=Permission.objects.get(codename=codename),
        )
    user.groups.add(group)
    return user


# --- Preview ----------------------------------------------------------------


def test_admin_preview_redirects_to_the_frontend_with_a_token_for_the_draft(
    frontend, editor_client, article
):
    response = admin_preview(editor_client, article, title="Tiêu đề bản nháp")

    draft = previewed_article(token=token_of(response))
    assert draft.pk == article.pk
    assert draft.title == "Tiêu đề bản nháp"
    assert "Bản nháp chưa xuất bản." in draft.body[0].value.source
    article.refresh_from_db()
    assert article.title == "Hội nghị chuyên đề"  # nothing saved


def test_preview_in_a_new_tab_gets_the_frontend_too(frontend, editor_client, article):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    editor_client.post(url, edit_form(article))
    assert token_of(editor_client.get(url))


def test_each_preview_gets_its_own_token_for_its_own_draft(
    frontend, editor_client, article
):
    first = token_of(admin_preview(editor_client, article, title="Lần một"))
    second = token_of(admin_preview(editor_client, article, title="Lần hai"))

    assert first != second
    assert previewed_article(token=first).title == "Lần một"
    assert previewed_article(token=second).title == "Lần hai"


def test_a_token_expires_after_the_maximum_age(
    frontend, editor_client, article, monkeypatch
):
    token = token_of(admin_preview(editor_client, article))
    assert previewed_article(token=token).pk == article.pk

    later = time.time() + frontend.PREVIEW_TOKEN_MAX_AGE + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with pytest.raises(InvalidPreviewToken, match="expired"):
        previewed_article(token=token)


def test_the_maximum_age_comes_from_the_setting(
    frontend, editor_client, article, monkeypatch
):
    frontend.PREVIEW_TOKEN_MAX_AGE = 60
    token = token_of(admin_preview(editor_client, article))
    later = time.time() + 61
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with pytest.raises(InvalidPreviewToken, match="expired"):
        previewed_article(token=token)


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "00000000-0000-0000-0000-000000000000" + token[36:],
        lambda token: "không-phải-token",
    ],
    ids=["signature", "id", "garbage"],
)
def test_a_forged_token_opens_nothing(frontend, editor_client, article, forge):
    token = token_of(admin_preview(editor_client, article))
    with pytest.raises(InvalidPreviewToken, match="not valid"):
        previewed_article(token=forge(token))


def test_a_token_signed_with_another_key_opens_nothing(
    frontend, editor_client, article, settings
):
    token = token_of(admin_preview(editor_client, article))
    settings.SECRET_KEY = "another-key-another-site"
    with pytest.raises(InvalidPreviewToken, match="not valid"):
        previewed_article(token=token)


def test_revoked_tokens_open_nothing(frontend, editor_client, article):
    one = token_of(admin_preview(editor_client, article))
    two = token_of(admin_preview(editor_client, article))
    three = token_of(admin_preview(editor_client, article))

    assert revoke_preview_token(token=one) is True
    assert revoke_preview_token(token=one) is False
    with pytest.raises(InvalidPreviewToken, match="revoked"):
        previewed_article(token=one)
    assert previewed_article(token=two).pk == article.pk

    assert revoke_page_previews(page=article) == 2
    for token in (two, three):
        with pytest.raises(InvalidPreviewToken, match="revoked"):
            previewed_article(token=token)


def test_deleting_the_article_revokes_its_tokens(frontend, editor_client, article):
    token = token_of(admin_preview(editor_client, article))
    article.delete()
    with pytest.raises(InvalidPreviewToken, match="revoked"):
        previewed_article(token=token)


def test_expired_previews_are_deleted_when_a_new_one_is_made(
    frontend, editor, article, monkeypatch
):
    mint_preview_token(page=article, user=editor)
    frontend.PREVIEW_TOKEN_MAX_AGE = 0
    mint_preview_token(page=article, user=editor)
    assert ArticlePreview.objects.count() == 1


def test_a_user_who_may_not_edit_the_page_gets_no_token(
    frontend, client, article, other_editor, other_category
):
    client.force_login(other_editor)
    response = admin_preview_denied(client, article)
    assert response.status_code in (302, 403)  # Wagtail's refusal
    assert "token=" not in response.get("Location", "")
    assert ArticlePreview.objects.count() == 0

    with pytest.raises(PermissionDenied):
        mint_preview_token(page=article, user=other_editor)
    assert ArticlePreview.objects.count() == 0

    # The same editor previews articles of the category they edit.
    own = make_article(category=other_category, title="Thông báo lịch họp")
    assert token_of(admin_preview(client, own)).count(":") == 2


def admin_preview_denied(client, article):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    posted = client.post(url, edit_form(article))
    assert posted.status_code in (302, 403)
    return client.get(url, {"in_preview_panel": "true"})


def test_a_page_never_saved_keeps_wagtails_preview(frontend, editor_client, category):
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("articles", "articlepage", category.pk),
    )
    article = make_article(category=category, title="x", publish=False)  # for form
    editor_client.post(url, edit_form(article, title="Bài mới", slug="bai-moi"))
    response = editor_client.get(url, {"in_preview_panel": "true"})
    assert response.status_code == 200
    assert "Bài mới" in response.content.decode()
    assert ArticlePreview.objects.count() == 0


def test_without_the_settings_wagtails_own_preview_answers(
    settings, editor_client, article
):
    settings.FRONTEND_BASE_URL = ""
    settings.FRONTEND_PREVIEW_URL = ""
    response = admin_preview(editor_client, article, title="Xem trước của Wagtail")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Xem trước của Wagtail" in html
    assert "Bản nháp chưa xuất bản." in html
    assert ArticlePreview.objects.count() == 0


def test_with_only_the_base_url_wagtails_preview_still_answers(
    settings, editor_client, article
):
    settings.FRONTEND_BASE_URL = FRONTEND
    settings.FRONTEND_PREVIEW_URL = ""
    response = admin_preview(editor_client, article, title="Vẫn là Wagtail")
    assert response.status_code == 200
    assert "Vẫn là Wagtail" in response.content.decode()


# --- View live --------------------------------------------------------------


def test_view_live_opens_the_article_on_the_frontend(frontend, editor_client, article):
    live = f"{FRONTEND}/tin-tuc-su-kien/{article.slug}/"
    assert article.url == live
    assert article.full_url == live

    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    assert f'href="{live}"' in edit.content.decode()  # the "Live" status tag
    listing = editor_client.get(
        reverse("wagtailadmin_explore", args=(article.get_parent().pk,))
    )
    assert f'href="{live}"' in listing.content.decode()  # "View live" button


def test_publishing_offers_view_live_on_the_frontend(frontend, editor_client, article):
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    response = editor_client.post(
        url, edit_form(article, **{"action-publish": "publish"}), follow=True
    )
    assert f"{FRONTEND}/tin-tuc-su-kien/{article.slug}/" in response.content.decode()


def test_categories_and_home_are_on_the_frontend_too(frontend, article):
    category = article.get_parent().specific
    assert category.url == f"{FRONTEND}/tin-tuc-su-kien/"
    assert category.get_parent().specific.url == f"{FRONTEND}/"


def test_without_the_base_url_pages_keep_their_site_urls(settings, article):
    settings.FRONTEND_BASE_URL = ""
    assert article.url == f"/tin-tuc-su-kien/{article.slug}/"
    assert article.full_url == f"http://localhost/tin-tuc-su-kien/{article.slug}/"


# --- Settings ---------------------------------------------------------------

PRINT_FRONTEND = (
    "import json; from cms import settings as s; print(json.dumps("
    "[s.FRONTEND_BASE_URL, s.FRONTEND_PREVIEW_URL, s.PREVIEW_TOKEN_MAX_AGE,"
    " s.CORS_ALLOWED_ORIGINS]))"
)


def test_frontend_origins_may_read_the_api_cross_origin():
    result = load_settings(
        {
            "DEBUG": "1",
            "FRONTEND_BASE_URL": "https://quan11.example.vn/",
            "FRONTEND_PREVIEW_URL": "https://xem-truoc.example.vn/p?token={token}",
            "CORS_ALLOWED_ORIGINS": "https://app.example.vn,https://quan11.example.vn",
            "PREVIEW_TOKEN_MAX_AGE": "600",
        },
        PRINT_FRONTEND,
    )
    base, preview, max_age, origins = json.loads(result.stdout)
    assert base == "https://quan11.example.vn"
    assert preview == "https://xem-truoc.example.vn/p?token={token}"
    assert max_age == 600
    assert origins == [
        "https://app.example.vn",
        "https://quan11.example.vn",
        "https://xem-truoc.example.vn",
    ]


def test_defaults_leave_the_frontend_off():
    result = load_settings({"DEBUG": "1"}, PRINT_FRONTEND)
    assert json.loads(result.stdout) == ["", "", 3600, []]


@pytest.mark.parametrize(
    "env",
    [
        {"FRONTEND_PREVIEW_URL": "https://quan11.example.vn/preview"},
        {"FRONTEND_BASE_URL": "quan11.example.vn"},
    ],
    ids=["no-token-placeholder", "no-scheme"],
)
def test_a_wrong_frontend_setting_stops_start_up(env):
    result = load_settings({"DEBUG": "1", **env}, PRINT_FRONTEND)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
