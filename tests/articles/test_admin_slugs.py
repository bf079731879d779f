"""Slugs never fight the editor: the admin suggests a free one, saving takes one,
and a draft the autosave left behind gives its slug up."""

import pytest
from django.contrib.contenttypes.models import ContentType
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

from articles.models import ArticlePage

pytestmark = pytest.mark.django_db

TITLE = "Họp báo quận"
SLUG = "hop-bao-quan"


def _form(**fields):
    return nested_form_data(
        {
            "title": TITLE,
            "slug": SLUG,
            "excerpt": "",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            **fields,
        }
    )


def _add_url(category):
    return reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", category.pk)
    )


def _autosave_new(client, category, **fields):
    """What Wagtail's autosave sends once a new article's form is typed in."""
    response = client.post(
        _add_url(category), _form(**fields), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["success"], answer
    return ArticlePage.objects.get(pk=answer["pk"]), answer


def _suggest(client, slug, page=None):
    params = {"slug": slug, **({"page": page} if page else {})}
    return client.get(reverse("articles_slug_suggestion"), params)


def test_same_title_twice_with_an_abandoned_autosave_between(editor_client, category):
    first = editor_client.post(_add_url(category), _form(**{"action-publish": "1"}))
    assert first.status_code == 302

    # An editor starts a new article with the same title, then walks away.
    abandoned, answer = _autosave_new(editor_client, category)
    assert abandoned.slug == f"{SLUG}-2"
    # The open form is told the slug kept, so the next autosave keeps it too.
    assert answer["field_updates"]["slug"] == f"{SLUG}-2"

    # The next editor is offered the free slug, the abandoned draft ignored...
    assert _suggest(editor_client, SLUG).json() == {"slug": f"{SLUG}-2"}
    # ...and saving with the bare slug (an old suggestion) works all the same.
    second = editor_client.post(_add_url(category), _form(**{"action-publish": "1"}))

    assert second.status_code == 302, second.context["form"].errors
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == [
        SLUG,
        f"{SLUG}-2",
    ]
    assert all(a.live for a in ArticlePage.objects.all())
    assert not ArticlePage.objects.filter(pk=abandoned.pk).exists()


def test_a_draft_still_open_keeps_its_slug(editor_client, editor, category):
    open_draft, _ = _autosave_new(editor_client, category)
    EditingSession.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(open_draft.pk),
        last_seen_at=timezone.now(),
    )
    assert _suggest(editor_client, SLUG).json() == {"slug": f"{SLUG}-2"}
    response = editor_client.post(_add_url(category), _form(**{"action-publish": "1"}))
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=open_draft.pk).slug == SLUG
    assert ArticlePage.objects.get(live=True).slug == f"{SLUG}-2"


def test_a_draft_its_editor_saved_is_kept(editor_client, category):
    draft, _ = _autosave_new(editor_client, category)
    edit_url = reverse("wagtailadmin_pages:edit", args=(draft.pk,))
    assert editor_client.post(edit_url, _form()).status_code == 302  # "Lưu bản nháp"

    response = editor_client.post(_add_url(category), _form(**{"action-publish": "1"}))

    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=draft.pk).slug == SLUG
    assert ArticlePage.objects.get(live=True).slug == f"{SLUG}-2"


def test_a_slug_taken_in_the_same_category_takes_the_next_free(editor_client, category):
    for expected in (SLUG, f"{SLUG}-2", f"{SLUG}-3"):
        response = editor_client.post(
            _add_url(category), _form(**{"action-publish": "1"})
        )
        assert response.status_code == 302, response.context["form"].errors
        assert ArticlePage.objects.order_by("-pk").first().slug == expected


def test_the_suggestion_excludes_the_page_itself(editor_client, category):
    draft, _ = _autosave_new(editor_client, category)
    assert _suggest(editor_client, SLUG, page=draft.pk).json() == {"slug": SLUG}
    assert _suggest(editor_client, "Đà Nẵng").json() == {"slug": "da-nang"}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"slug": ""}, "slug"), ({"slug": "a", "page": "x"}, "page")],
)
def test_a_bad_suggestion_request_names_the_parameter(editor_client, params, parameter):
    response = editor_client.get(reverse("articles_slug_suggestion"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["parameter"] == parameter


def test_the_edit_form_loads_the_suggestion_script(editor_client, category):
    html = editor_client.get(_add_url(category)).content.decode()
    assert "articles/admin/slug_suggestion.js" in html
    assert 'data-newsdesk-slug-url="/admin/articles/slug/"' in html
