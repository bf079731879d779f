"""The newsroom's roles and approval, through the real admin (Django test client).

A "Phóng viên" writes and submits, a "Biên tập viên" approves the first step, a
"Lãnh đạo duyệt" the last, which publishes; readers see the article in the API
only then. A rejection with a comment goes back to the writer.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Workflow, WorkflowState
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from articles.models import ArticlePage, NewsImage
from articles.newsroom import (
    APPROVERS,
    EDITORS,
    WORKFLOW,
    WRITERS,
    create_demo_users,
    setup_newsroom,
)
from tests.factories import image_bytes, make_category, make_image

pytestmark = pytest.mark.django_db

TITLE = "Quận 11 ra quân làm sạch kênh"


@pytest.fixture
def newsroom(category):
    setup_newsroom()


@pytest.fixture
def staff(newsroom, django_user_model):
    def make(username, group):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.com", "pass-word-123"
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "writer": make("phongvien", WRITERS),
        "editor": make("bientap", EDITORS),
        "approver": make("lanhdao", APPROVERS),
    }


def _as(client, user):
    client.logout()
    client.force_login(user)
    return client


def _article_form(action, **fields):
    return nested_form_data(
        {
            "title": TITLE,
            "slug": "quan-11-ra-quan-lam-sach-kenh",
            "excerpt": "",
            "body": streamfield([("paragraph", rich_text("<p>Sáng nay.</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            action: "1",
            **fields,
        }
    )


def _add_url(category):
    return reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", category.pk)
    )


def _act(client, article, action, comment=""):
    task_state = article.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(article.pk, action, task_state.pk),
    )
    return client.post(url, {"comment": comment})


def _api_titles(client):
    return [a["title"] for a in client.get("/api/v1/articles/").json()["results"]]


def test_setup_is_idempotent_and_replaces_wagtails_english_workflow(category):
    call_command("setup_newsroom")
    call_command("setup_newsroom")
    assert Group.objects.filter(name__in=[WRITERS, EDITORS, APPROVERS]).count() == 3
    workflow = Workflow.objects.get(name=WORKFLOW)
    assert [task.name for task in workflow.tasks] == [
        "Biên tập viên duyệt",
        "Lãnh đạo duyệt và xuất bản",
    ]
    assert [
        list(t.specific.groups.values_list("name", flat=True)) for t in workflow.tasks
    ] == [[EDITORS], [APPROVERS]]
    assert not Workflow.objects.filter(name="Moderators approval", active=True)
    assert not GroupApprovalTask.objects.filter(name="Moderators approval", active=True)
    # Every category, one made after the setup too.
    later = make_category(title="Thông báo")
    assert category.get_workflow() == workflow
    assert later.get_workflow() == workflow


def test_a_writer_cannot_publish_but_submits(client, staff, category):
    writer = _as(client, staff["writer"])
    response = writer.post(_add_url(category), _article_form("action-publish"))
    assert response.status_code == 302
    draft = ArticlePage.objects.get(title=TITLE)
    assert not draft.live  # saved as a draft: the publish button is not theirs

    edit = writer.get(reverse("wagtailadmin_pages:edit", args=(draft.pk,)))
    html = edit.content.decode()
    assert "action-publish" not in html
    assert "Gửi tới Biên tập viên duyệt" in html or "action-submit" in html

    response = writer.post(
        reverse("wagtailadmin_pages:edit", args=(draft.pk,)),
        _article_form("action-submit", slug=draft.slug),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert draft.current_workflow_task.name == "Biên tập viên duyệt"


def test_two_approvals_publish_and_only_then_readers_see_it(
    client, staff, category, committed
):
    mail.outbox.clear()
    _as(client, staff["writer"]).post(
        _add_url(category), _article_form("action-submit")
    )
    article = ArticlePage.objects.get(title=TITLE)
    # The first step's approvers hear of it, in Vietnamese.
    to_editor = [m for m in mail.outbox if m.to == ["bientap@example.com"]]
    assert to_editor, [m.to for m in mail.outbox]
    assert TITLE in to_editor[0].subject
    assert "đã được gửi" in to_editor[0].subject.lower()
    assert TITLE not in _api_titles(client)

    # A writer cannot approve their own article.
    _as(client, staff["writer"])
    _act(client, article, "approve")
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Biên tập viên duyệt"

    mail.outbox.clear()
    _as(client, staff["editor"])
    assert _act(client, article, "approve").status_code == 302
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_task.name == "Lãnh đạo duyệt và xuất bản"
    assert any(m.to == ["lanhdao@example.com"] for m in mail.outbox)
    client.logout()
    assert TITLE not in _api_titles(client)

    # The editor cannot do the last step.
    _as(client, staff["editor"])
    _act(client, article, "approve")
    article.refresh_from_db()
    assert not article.live

    _as(client, staff["approver"])
    with committed():  # the admin's request commits
        assert _act(client, article, "approve", comment="Đồng ý").status_code == 302
    article.refresh_from_db()
    assert article.live
    assert article.current_workflow_state is None
    client.logout()
    assert TITLE in _api_titles(client)


def test_a_rejection_with_a_comment_goes_back_to_the_writer(client, staff, category):
    _as(client, staff["writer"]).post(
        _add_url(category), _article_form("action-submit")
    )
    article = ArticlePage.objects.get(title=TITLE)
    mail.outbox.clear()
    _as(client, staff["editor"])
    response = _act(client, article, "reject", comment="Thiếu nguồn ảnh.")
    assert response.status_code == 302
    article.refresh_from_db()
    state = article.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not article.live
    to_writer = [m for m in mail.outbox if m.to == ["phongvien@example.com"]]
    assert to_writer and TITLE in to_writer[0].subject
    assert "Thiếu nguồn ảnh." in to_writer[0].body

    # The writer sees the comment where they edit, as a message on the form.
    _as(client, staff["writer"])
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    notes = [str(m) for m in client.get(edit_url).context["messages"]]
    assert (
        "bientap đã trả lại bài viết ở bước “Biên tập viên duyệt”: “Thiếu nguồn ảnh.”"
        in notes
    ), notes
    response = client.post(
        edit_url, _article_form("action-restart-workflow", slug=article.slug)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Biên tập viên duyệt"


def test_demo_users_one_per_role(newsroom, django_user_model):
    create_demo_users(log=lambda line: None)
    create_demo_users(log=lambda line: None)
    for username, group in (
        ("phongvien", WRITERS),
        ("bientap", EDITORS),
        ("lanhdao", APPROVERS),
    ):
        user = django_user_model.objects.get(username=username)
        assert user.check_password(username)
        assert list(user.groups.values_list("name", flat=True)) == [group]


def _chooser(client):
    return client.get(reverse("wagtailimages_chooser:choose"))


@pytest.mark.parametrize("role", ["writer", "editor", "approver"])
def test_every_role_uploads_and_chooses_photos(client, staff, role):
    """Wagtail checks wagtailimages.Image's permissions, whatever the image model."""
    theirs = make_image(title="Ảnh của người khác", caption="Quang cảnh hội nghị")
    _as(client, staff[role])
    assert client.get(reverse("wagtailimages:index")).status_code == 200
    chooser = _chooser(client)
    assert chooser.status_code == 200
    html = chooser.json()["html"]
    assert "Ảnh của người khác" in html  # the library, not "no images yet"
    assert 'id="tab-label-upload"' in html or "upload" in html.lower()

    response = client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Hội nghị",
            "image-chooser-upload-file": SimpleUploadedFile(
                "hoi-nghi.jpg",
                image_bytes(colour=(200, 90, 10)),
                content_type="image/jpeg",
            ),
            "image-chooser-upload-caption": "Quang cảnh hội nghị",
            "image-chooser-upload-tags": "",
        },
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json()["step"] == "chosen", response.json()
    mine = NewsImage.objects.get(title="Hội nghị")
    assert mine.caption == "Quang cảnh hội nghị"
    assert mine.uploaded_by_user == staff[role]

    own = client.get(reverse("wagtailimages:edit", args=(mine.pk,)))
    assert own.status_code == 200
    others = client.get(reverse("wagtailimages:edit", args=(theirs.pk,)))
    # A writer edits only their own uploads; the approving roles the library.
    assert others.status_code == (200 if role != "writer" else 302)


def test_setup_drops_the_image_grants_that_never_worked(newsroom):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, GroupCollectionPermission

    writers = Group.objects.get(name=WRITERS)
    useless = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(NewsImage),
        codename="choose_newsimage",
    )
    GroupCollectionPermission.objects.create(
        group=writers, collection=Collection.get_first_root_node(), permission=useless
    )
    setup_newsroom()
    granted = GroupCollectionPermission.objects.filter(group=writers)
    assert sorted(
        (p.permission.content_type.app_label, p.permission.codename) for p in granted
    ) == [("wagtailimages", "add_image"), ("wagtailimages", "choose_image")]
