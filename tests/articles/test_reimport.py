"""Re-importing a dump keeps what editors did (docs/import.md, "Running it
again"): the dump's changes are merged in, the editors' work stays. Editors
work through the real admin (its edit view, Wagtail's revision and publish)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from articles.demo import load_demo
from articles.models import ArticlePage, LegacyImport
from tests.articles.test_import_legacy import (
    SEED,
    dump,
    import_legacy,
    write,
)
from tests.factories import make_image

pytestmark = pytest.mark.django_db

P1 = "Sáng nay, Quận ủy tổ chức hội nghị chuyên đề."
P2 = "Hội nghị thảo luận công tác kết nạp đảng viên."
P3 = "Đảng bộ Quận 11 hiện có 43 tổ chức cơ sở đảng."
CAPTION = "Quang cảnh hội nghị"


def first_dump(**changes) -> str:
    fields = {
        "title": "Hội nghị chuyên đề",
        "category": "Tin tức sự kiện",
        "body": (P1, P2),
        "captions": (),
    }
    return dump(**{**fields, **changes})


def body_dump(paragraphs, *, caption=CAPTION, title="Hội nghị chuyên đề") -> str:
    """A dump whose body is ``paragraphs`` and then one captioned photo (the
    test dump writes captions after the paragraphs, then "Nội dung sau ảnh.")."""
    return dump(
        title=title,
        category="Tin tức sự kiện",
        body=paragraphs,
        captions=(caption,),
    )


def blocks(article: ArticlePage) -> list[dict]:
    return list(article.body.get_prep_value())


def edit_in_admin(client, article, *, body, **fields):
    """Post the admin's edit form (publish), as an editor's browser does:
    every block with its id, the rich text in the editor's own format."""
    stream = {"count": str(len(body))}
    for index, block in enumerate(body):
        value = block["value"]
        if block["type"] == "paragraph":
            value = rich_text(value)
        else:
            value = {key: ("" if v is None else v) for key, v in value.items()}
        stream[str(index)] = {
            "type": block["type"],
            "value": value,
            "id": block.get("id", ""),
            "deleted": "",
            "order": str(index),
        }
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "published_at": article.published_at.astimezone().strftime(
                "%Y-%m-%d %H:%M"
            ),
            "excerpt": "",
            "body": stream,
            "tags": "",
            "comments": inline_formset([]),
            "action-publish": "publish",
            **fields,
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), data)
    assert response.status_code == 302, response.context["form"].errors
    article.refresh_from_db()
    return article


def test_a_reimport_applies_the_dumps_changes_and_keeps_the_editors_work(
    tmp_path, editor_client, editor
):
    path = write(tmp_path, "bai.txt", body_dump((P1, P2, P3)))
    import_legacy(path)
    article = ArticlePage.objects.get()
    p1, p2, p3, photo_block, after = blocks(article)
    assert (photo_block["type"], after["value"]) == (
        "image",
        "<p>Nội dung sau ảnh.</p>",
    )

    # The editor's work, through the admin: a feature image, a tag, a photo
    # in the caption's block, a paragraph of their own after the first, the
    # second paragraph reworded, an excerpt.
    feature, photo = make_image(title="Ảnh đại diện"), make_image(title="Ảnh hội nghị")
    editor_paragraph = {"type": "paragraph", "value": "<p>Ý của biên tập viên.</p>"}
    edited_p2 = {**p2, "value": "<p>Hội nghị bàn về kết nạp đảng viên mới.</p>"}
    with_photo = {**photo_block, "value": {**photo_block["value"], "image": photo.pk}}
    edit_in_admin(
        editor_client,
        article,
        body=[p1, editor_paragraph, edited_p2, p3, with_photo, after],
        feature_image=str(feature.pk),
        tags='"đảng viên"',
        excerpt="Tóm tắt của biên tập viên.",
    )
    assert Revision.page_revisions.filter(
        object_id=str(article.pk), user=editor
    ).exists()
    revisions = Revision.page_revisions.filter(object_id=str(article.pk)).count()

    # The old portal changed the title, the first and second paragraphs,
    # dropped nothing and added a last paragraph.
    write(
        tmp_path,
        "bai.txt",
        body_dump(
            (P1 + " Có 200 đại biểu dự.", P2 + " (cập nhật)", P3, "Đoạn mới cuối bài."),
            title="Hội nghị chuyên đề về công tác đảng viên",
        ),
    )
    out, _ = import_legacy(path, "-v", "2")

    assert "updated: 1" in out
    article = ArticlePage.objects.get()
    assert article.live and not article.has_unpublished_changes
    assert article.title == "Hội nghị chuyên đề về công tác đảng viên"
    assert article.feature_image == feature
    assert list(article.tags.names()) == ["đảng viên"]
    assert article.excerpt == "Tóm tắt của biên tập viên."
    assert texts(article) == [
        f"<p>{P1} Có 200 đại biểu dự.</p>",  # the dump's change
        "<p>Ý của biên tập viên.</p>",  # the editor's own paragraph, in place
        "<p>Hội nghị bàn về kết nạp đảng viên mới.</p>",  # both changed: editor's
        f"<p>{P3}</p>",
        "<p>Đoạn mới cuối bài.</p>",  # new in the dump, after the one before it
        ("image", photo.pk, CAPTION),  # the editor's photo, the dump's caption
        "<p>Nội dung sau ảnh.</p>",
    ]
    assert blocks(article)[0]["id"] == p1["id"]  # the same block, rewritten
    assert "changed in the dump and in the admin: the admin's kept" in out
    assert "Hội nghị thảo luận" in out  # names the paragraph

    # Readers see both: the API's detail.
    detail = Client().get(f"/api/v1/articles/{article.pk}/").json()
    assert detail["title"] == "Hội nghị chuyên đề về công tác đảng viên"
    assert detail["tags"] == ["đảng viên"]
    assert detail["feature_image"]["id"] == feature.pk
    assert "Có 200 đại biểu dự" in detail["body_html"]
    assert "Ý của biên tập viên." in detail["body_html"]

    # Once more: the dump has not changed since, nothing is written.
    out, _ = import_legacy(path)
    assert "unchanged: 1" in out
    assert (
        Revision.page_revisions.filter(object_id=str(article.pk)).count()
        == revisions + 1
    )


def texts(article) -> list:
    """Each block: a paragraph's HTML without the admin's block keys, or
    ("image", photo id, caption)."""
    out = []
    for block in blocks(article):
        if block["type"] == "paragraph":
            out.append(re.sub(r' data-block-key="[^"]*"', "", block["value"]))
        else:
            value = block["value"]
            out.append(("image", value["image"], value["caption"]))
    return out


def _seed_state(article):
    article.refresh_from_db()
    return (
        article.feature_image_id,
        list(article.tags.names()),
        [block[1] for block in texts(article) if block[0] == "image"],
    )


@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "before-records"])
def test_importing_the_sample_over_the_demo_keeps_its_photo_and_tag(recorded):
    load_demo(log=lambda line: None)
    seed = ArticlePage.objects.get(legacy_key="legacy:" + SEED.stem)
    if not recorded:
        # As a database loaded before records were kept.
        LegacyImport.objects.filter(article=seed).delete()
    feature, tags, photos = _seed_state(seed)
    assert feature is not None and tags == ["đảng viên"] and photos == [feature]

    out, _ = import_legacy(SEED)

    assert "unchanged: 1" in out and "failed: 0" in out
    assert _seed_state(seed) == (feature, ["đảng viên"], [feature])
    assert LegacyImport.objects.filter(article=seed).exists()


def test_a_block_gone_from_the_dump_goes_unless_an_editor_edited_it(
    tmp_path, editor_client
):
    path = write(tmp_path, "bai.txt", body_dump((P1, P2, P3)))
    import_legacy(path)
    article = ArticlePage.objects.get()
    p1, p2, p3, photo_block, after = blocks(article)
    edit_in_admin(
        editor_client,
        article,
        body=[
            p1,
            {**p2, "value": "<p>Đoạn hai, biên tập viên viết lại.</p>"},
            *(p3, photo_block, after),
        ],
    )

    write(tmp_path, "bai.txt", body_dump((P3,)))  # P1 and P2 are gone
    out, _ = import_legacy(path, "-v", "2")

    assert "updated: 1" in out
    assert texts(ArticlePage.objects.get()) == [
        "<p>Đoạn hai, biên tập viên viết lại.</p>",
        f"<p>{P3}</p>",
        ("image", None, CAPTION),
        "<p>Nội dung sau ảnh.</p>",
    ]
    assert "the dump no longer has was edited in the admin: kept" in out


def test_a_dump_change_to_an_article_an_editor_unpublished_stays_a_draft(
    tmp_path, editor_client
):
    path = write(tmp_path, "bai.txt", body_dump((P1,)))
    import_legacy(path)
    article = ArticlePage.objects.get()
    article.unpublish()

    write(tmp_path, "bai.txt", body_dump((P1 + " Bổ sung.",)))
    out, _ = import_legacy(path, "-v", "2")

    article = ArticlePage.objects.get()
    assert not article.live
    draft = article.get_latest_revision_as_object()
    assert texts(draft)[0] == f"<p>{P1} Bổ sung.</p>"
    assert "saved as a draft, not published" in out


def test_the_dry_run_tells_a_merge_from_nothing_to_do(tmp_path, editor_client):
    path = write(tmp_path, "bai.txt", body_dump((P1,)))
    import_legacy(path)
    article = ArticlePage.objects.get()
    edit_in_admin(editor_client, article, body=blocks(article), tags='"đảng viên"')

    out, _ = import_legacy(path, "--dry-run")
    assert "unchanged: 1" in out  # the editor's tag is not the dump's business

    write(tmp_path, "bai.txt", body_dump((P1 + " Bổ sung.",)))
    out, _ = import_legacy(path, "--dry-run")
    assert "updated: 1" in out
    assert list(ArticlePage.objects.get().tags.names()) == ["đảng viên"]


def test_an_editors_draft_stays_the_latest_revision_with_the_dumps_changes(
    tmp_path, editor
):
    path = write(tmp_path, "bai.txt", body_dump((P1, P2)))
    import_legacy(path)
    article = ArticlePage.objects.get()
    draft = article.get_latest_revision_as_object()
    draft.title = "Tiêu đề nháp của biên tập viên"
    draft.save_revision(user=editor)

    write(tmp_path, "bai.txt", body_dump((P1, P2 + " (cập nhật)")))
    out, _ = import_legacy(path, "-v", "2")

    article = ArticlePage.objects.get()
    assert article.title == "Hội nghị chuyên đề"  # live: the dump's change only
    assert texts(article)[1] == f"<p>{P2} (cập nhật)</p>"
    assert article.has_unpublished_changes
    latest = article.get_latest_revision()
    assert latest.user == editor
    draft = latest.as_object()
    assert draft.title == "Tiêu đề nháp của biên tập viên"
    assert texts(draft)[1] == f"<p>{P2} (cập nhật)</p>"
    assert "draft got the dump's changes too" in out
