"""GET /api/v1/preview/?token=: the draft as the frontend will show it, only
with a valid token, never cached; drafts stay unreachable everywhere else."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from articles.previews import mint_preview_token, revoke_preview_token
from tests.factories import make_article, make_image, vn_time

FRONTEND = "https://quan11.example.vn"
PREVIEW = "/api/v1/preview/"


@pytest.fixture
def frontend(settings):
    settings.FRONTEND_BASE_URL = FRONTEND
    settings.FRONTEND_PREVIEW_URL = FRONTEND + "/preview?token={token}"
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]
    return settings


def edited_draft(article, **changes):
    """The article's latest state with ``changes``, unsaved (a copy, never
    ``article`` itself: Wagtail returns the page when nothing is pending)."""
    draft = type(article).objects.get(pk=article.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


def test_preview_answers_the_draft_as_an_article(api, seed, editor):
    draft = edited_draft(seed, title="Tiêu đề đã sửa", excerpt="Tóm tắt mới.")
    token = mint_preview_token(page=draft, user=editor)

    response = api.get(PREVIEW, {"token": token})

    assert response.status_code == 200
    data = response.json()
    live = api.get(f"/api/v1/articles/{seed.pk}/").json()
    assert data["preview"] is True
    assert set(data) == set(live) | {"preview"}
    assert data["title"] == "Tiêu đề đã sửa"
    assert data["excerpt"] == "Tóm tắt mới."
    assert live["title"] != "Tiêu đề đã sửa"  # nothing was published
    # Body, photos with captions and neighbours as the live article has them.
    assert data["body"] == live["body"]
    assert "<figcaption>Quang cảnh hội nghị</figcaption>" in data["body_html"]
    assert data["feature_image"] == live["feature_image"]
    assert (data["newer"], data["older"]) == (live["newer"], live["older"])
    assert data["category"] == live["category"]


def test_preview_is_never_cached(api, seed, editor):
    token = mint_preview_token(page=edited_draft(seed), user=editor)
    response = api.get(PREVIEW, {"token": token})

    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    again = api.get(PREVIEW, {"token": token}, HTTP_IF_NONE_MATCH='"x"')
    assert again.status_code == 200
    star = api.get(PREVIEW, {"token": token}, HTTP_IF_NONE_MATCH="*")
    assert star.status_code == 200 and star.content


def test_the_preview_matches_the_live_article_once_published(api, seed, editor):
    photo = make_image(title="Ảnh mới", caption="Chú thích ảnh mới")
    body = [
        *seed.body.raw_data,
        {"type": "image", "value": {"image": photo.pk, "caption": "", "alt": ""}},
        {"type": "heading", "value": {"text": "Phần hai", "level": "2"}},
    ]
    draft = edited_draft(seed, title="Hội nghị (cập nhật)", body=body)
    draft.tags.add("đảng viên", "hội nghị")
    draft.feature_image = photo
    token = mint_preview_token(page=draft, user=editor)
    preview = api.get(PREVIEW, {"token": token}).json()

    draft.save_revision(user=editor).publish()
    live = api.get(f"/api/v1/articles/{seed.pk}/").json()

    assert preview.pop("preview") is True
    # ``updated_at`` is the time of publication, later than the preview's.
    preview.pop("updated_at")
    live.pop("updated_at")
    assert preview == live
    assert live["tags"] == ["hội nghị", "đảng viên"]
    assert live["body"][-1]["value"] == {"text": "Phần hai", "level": 2}
    assert live["body"][-2]["value"]["caption"] == "Chú thích ảnh mới"


def test_a_draft_never_published_previews_as_if_published_now(api, category, editor):
    older = make_article(
        category=category, title="Bài cũ", published_at=vn_time(2020, 1, 1)
    )
    draft = make_article(
        category=category,
        title="Bài chưa xuất bản",
        body=[("paragraph", RichText("<p>Nội dung nháp.</p>"))],
        publish=False,
    )
    token = mint_preview_token(page=draft, user=editor)

    data = api.get(PREVIEW, {"token": token}).json()

    assert data["title"] == "Bài chưa xuất bản"
    assert data["body_html"] == "<p>Nội dung nháp.</p>"
    assert data["older"]["id"] == older.pk
    assert data["newer"] is None
    assert data["url"] == f"/tin-tuc-su-kien/{draft.slug}/"
    assert data["view_count"] == 0
    # ... and it stays a draft everywhere else.
    assert api.get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    assert api.get(f"/api/v1/articles/slug/{draft.slug}/").status_code == 404
    listed = [a["id"] for a in api.get("/api/v1/articles/").json()["results"]]
    assert listed == [older.pk]


def test_an_unpublished_edit_stays_out_of_the_live_answers(api, seed, editor):
    live_title = seed.title
    draft = edited_draft(seed, title="Chưa xuất bản")
    draft.save_revision(user=editor)
    mint_preview_token(page=draft, user=editor)

    by_id = api.get(f"/api/v1/articles/{seed.pk}/").json()
    by_slug = api.get(f"/api/v1/articles/slug/{seed.slug}/").json()
    assert by_id["title"] == by_slug["title"] == live_title
    found = api.get("/api/v1/articles/", {"search": "Chưa xuất bản"}).json()
    assert found["count"] == 0


def test_a_missing_token_is_a_bad_request_naming_it(api, db):
    for query in ({}, {"token": ""}):
        response = api.get(PREVIEW, query)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert set(response.json()["errors"]) == {"token"}


def test_unknown_parameters_are_refused(api, seed, editor):
    token = mint_preview_token(page=edited_draft(seed), user=editor)
    response = api.get(PREVIEW, {"token": token, "draft": "1"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"draft"}


def refused(api, token):
    response = api.get(PREVIEW, {"token": token})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "ETag" not in response
    problem = response.json()
    assert set(problem["errors"]) == {"token"}
    return problem["detail"]


def test_forged_expired_and_revoked_tokens_are_refused(
    api, seed, editor, settings, monkeypatch
):
    token = mint_preview_token(page=edited_draft(seed), user=editor)
    assert api.get(PREVIEW, {"token": token}).status_code == 200

    assert "not valid" in refused(api, token[:-2] + "xx")
    assert "not valid" in refused(api, "a" * 60)

    later = time.time() + settings.PREVIEW_TOKEN_MAX_AGE + 1
    with monkeypatch.context() as travel:
        travel.setattr("django.core.signing.time.time", lambda: later)
        assert "expired" in refused(api, token)
    assert api.get(PREVIEW, {"token": token}).status_code == 200

    revoke_preview_token(token=token)
    assert "revoked" in refused(api, token)


def test_the_frontend_origin_may_read_the_preview(api, frontend, seed, editor):
    token = mint_preview_token(page=edited_draft(seed), user=editor)

    allowed = api.get(PREVIEW, {"token": token}, HTTP_ORIGIN=FRONTEND)
    other = api.get(PREVIEW, {"token": token}, HTTP_ORIGIN="https://evil.example")

    assert allowed["Access-Control-Allow-Origin"] == FRONTEND
    assert "Access-Control-Allow-Origin" not in other


def _body_form(blocks):
    data = {"count": str(len(blocks))}
    for index, (block_id, kind, value) in enumerate(blocks):
        data[str(index)] = {
            "type": kind,
            "value": value,
            "id": block_id,
            "deleted": "",
            "order": str(index),
        }
    return data


def test_admin_preview_then_admin_publish_answer_alike(
    api, frontend, editor_client, category
):
    make_article(category=category, title="Bài trước", published_at=vn_time(2020, 1, 1))
    article = make_article(category=category, title="Bài gốc")
    photo = make_image(title="Ảnh", caption="Quang cảnh hội nghị")
    form = nested_form_data(
        {
            "title": "Bài đã sửa trong trang quản trị",
            "slug": article.slug,
            "excerpt": "",
            "feature_image": str(photo.pk),
            "body": _body_form(
                [
                    (
                        "11111111-1111-4111-8111-111111111111",
                        "paragraph",
                        rich_text("<p>Vừa qua, Ban thường vụ họp.</p>"),
                    ),
                    (
                        "22222222-2222-4222-8222-222222222222",
                        "image",
                        {"image": str(photo.pk), "caption": "", "alt": ""},
                    ),
                ]
            ),
            "tags": '"đảng viên"',
            "comments": inline_formset([]),
        }
    )
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    assert editor_client.post(preview_url, form).json()["is_valid"] is True
    location = editor_client.get(preview_url, {"in_preview_panel": "true"})["Location"]
    token = parse_qs(urlsplit(location).query)["token"][0]
    preview = api.get(PREVIEW, {"token": token}).json()

    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    published = editor_client.post(edit_url, {**form, "action-publish": "publish"})
    assert published.status_code == 302
    live = api.get(f"/api/v1/articles/{article.pk}/").json()

    assert preview.pop("preview") is True
    preview.pop("updated_at")
    live.pop("updated_at")
    assert preview == live
    assert live["title"] == "Bài đã sửa trong trang quản trị"
    assert live["body"][1]["value"]["caption"] == "Quang cảnh hội nghị"
    assert live["older"]["title"] == "Bài trước"


def test_preview_responses_match_the_schema(openapi, seed, editor):
    token = mint_preview_token(page=edited_draft(seed), user=editor)
    operation = openapi["/api/v1/preview/"]["GET"]
    for query, status in (
        ({"token": token}, 200),
        ({"token": token + "x"}, 403),
        ({}, 400),
    ):
        response = operation.Case(query=query).call()
        assert response.status_code == status
        operation.validate_response(response)


def test_a_draft_moved_in_time_is_not_its_own_neighbour(api, category, editor):
    article = make_article(
        category=category, title="Bài duy nhất", published_at=vn_time(2020, 1, 1)
    )
    for moved_to in (vn_time(2019, 1, 1), vn_time(2021, 1, 1)):
        draft = edited_draft(article, published_at=moved_to)
        data = api.get(
            PREVIEW, {"token": mint_preview_token(page=draft, user=editor)}
        ).json()
        assert (data["newer"], data["older"], data["related"]) == (None, None, [])
