"""New articles through the real admin (Django test client): one article per
"new article" form whatever posts it first, and the scheduler's sweep of
abandoned autosave drafts.

The browser tests (tests/browser/test_admin_saves.py) race the real autosave;
here each order of the two posts is made on purpose.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from articles.drafts import NEW_ARTICLE_KEY
from articles.models import ArticlePage, NewArticleKey

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _form(key, text="Nội dung.", title="Họp báo quận", **fields):
    return nested_form_data(
        {
            "title": title,
            "slug": "",
            "excerpt": "",
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            NEW_ARTICLE_KEY: str(key),
            **fields,
        }
    )


def _add_url(category):
    return reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", category.pk)
    )


def _paragraph(article):
    """The first paragraph's HTML in the newest revision, block key left out."""
    revision = article.get_latest_revision_as_object()
    return re.sub(r' data-block-key="\w+"', "", revision.body[0].value.source)


def test_the_form_carries_a_fresh_key(editor_client, category):
    first = editor_client.get(_add_url(category)).context["form"]
    second = editor_client.get(_add_url(category)).context["form"]
    keys = {first[NEW_ARTICLE_KEY].value(), second[NEW_ARTICLE_KEY].value()}
    assert len(keys) == 2 and all(uuid.UUID(str(k)) for k in keys)
    assert f'name="{NEW_ARTICLE_KEY}"' in str(first[NEW_ARTICLE_KEY])


def test_autosave_then_save_make_one_article(editor_client, category):
    key = uuid.uuid4()
    answer = editor_client.post(
        _add_url(category), _form(key, "Bản nháp."), **JSON
    ).json()
    assert answer["success"]
    # The editor's save, posted to the create view before autosave's answer.
    response = editor_client.post(_add_url(category), _form(key, "Bản cuối."))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=(answer["pk"],))
    article = ArticlePage.objects.get()
    assert article.pk == answer["pk"]
    assert _paragraph(article) == "<p>Bản cuối.</p>"
    # Saved by its editor: no longer a draft the sweep may take.
    assert not ArticlePage.objects.filter(pk__in=_abandoned_ids())


def test_save_then_late_autosave_keep_the_save(editor_client, category):
    key = uuid.uuid4()
    response = editor_client.post(_add_url(category), _form(key, "Bản cuối."))
    assert response.status_code == 302
    article = ArticlePage.objects.get()
    revisions = article.revisions.count()
    # Sent before the save with the form as it was then, handled after it.
    answer = editor_client.post(
        _add_url(category), _form(key, "Bản cuối"), **JSON
    ).json()
    assert answer["success"] and answer["pk"] == article.pk
    assert answer["url"] == reverse("wagtailadmin_pages:edit", args=(article.pk,))
    assert ArticlePage.objects.count() == 1
    assert article.revisions.count() == revisions
    assert _paragraph(article) == "<p>Bản cuối.</p>"


def test_two_autosaves_of_one_form_share_one_revision(editor_client, category):
    key = uuid.uuid4()
    first = editor_client.post(_add_url(category), _form(key, "Một"), **JSON).json()
    second = editor_client.post(_add_url(category), _form(key, "Hai"), **JSON).json()
    assert first["pk"] == second["pk"]
    assert first["revision_id"] == second["revision_id"]
    assert second["hydrate_url"].endswith("?_w_hydrate_create_view=1")
    article = ArticlePage.objects.get()
    assert _paragraph(article) == "<p>Hai</p>"


def test_a_refused_form_keeps_its_key_free(editor_client, category):
    key = uuid.uuid4()
    refused = editor_client.post(
        _add_url(category), _form(key, title="", **{"action-publish": "1"})
    )
    assert refused.status_code == 200  # shown again with its errors
    assert not NewArticleKey.objects.filter(key=key).exists()
    assert editor_client.post(_add_url(category), _form(key)).status_code == 302
    assert ArticlePage.objects.count() == 1


def test_another_user_cannot_edit_through_someone_elses_key(
    client, editor_client, category, django_user_model
):
    from django.contrib.auth.models import Group

    from articles.newsroom import WRITERS, setup_newsroom

    key = uuid.uuid4()
    editor_client.post(_add_url(category), _form(key, "Của biên tập."))
    setup_newsroom()
    writer = django_user_model.objects.create_user("pv2", "pv2@example.com", "x")
    writer.groups.add(Group.objects.get(name=WRITERS))
    client.force_login(writer)
    response = client.post(_add_url(category), _form(key, "Sửa trộm."))
    assert response.status_code == 403
    autosave = client.post(_add_url(category), _form(key, "Sửa trộm."), **JSON)
    assert autosave.status_code == 403
    assert _paragraph(ArticlePage.objects.get()) == "<p>Của biên tập.</p>"


# --- the sweep --------------------------------------------------------------


def _abandoned_ids():
    from articles.drafts import abandoned_drafts

    return abandoned_drafts().values("pk")


def _autosaved(client, category, title):
    answer = client.post(
        _add_url(category), _form(uuid.uuid4(), title=title), **JSON
    ).json()
    return ArticlePage.objects.get(pk=answer["pk"])


def _age(article, hours):
    Page.objects.filter(pk=article.pk).update(
        latest_revision_created_at=timezone.now() - timedelta(hours=hours)
    )


def test_the_sweep_deletes_only_old_abandoned_autosave_drafts(
    editor_client, category, settings
):
    settings.AUTOSAVE_DRAFT_MAX_AGE_HOURS = 24
    old = _autosaved(editor_client, category, "Bỏ dở lâu rồi")
    young = _autosaved(editor_client, category, "Bỏ dở hôm nay")
    saved = _autosaved(editor_client, category, "Đã lưu")
    editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(saved.pk,)),
        _form("", title="Đã lưu", slug=saved.slug),
    )
    submitted = _autosaved(editor_client, category, "Đã gửi duyệt")
    editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(submitted.pk,)),
        _form("", title="Đã gửi duyệt", slug=submitted.slug, **{"action-submit": "1"}),
    )
    still_open = _autosaved(editor_client, category, "Đang mở")
    EditingSession.objects.create(
        user=still_open.owner,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(still_open.pk),
        last_seen_at=timezone.now(),
    )
    for article in (old, saved, submitted, still_open):
        _age(article, 25)
    _age(young, 23)
    old_key = NewArticleKey.objects.get(page=old)
    NewArticleKey.objects.filter(pk=old_key.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )

    call_command("sweep_drafts")

    left = set(ArticlePage.objects.values_list("title", flat=True))
    assert left == {"Bỏ dở hôm nay", "Đã lưu", "Đã gửi duyệt", "Đang mở"}
    assert not NewArticleKey.objects.filter(pk=old_key.pk).exists()
