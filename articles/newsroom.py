"""The newsroom: its roles (groups and permissions) and its approval workflow.

Three groups and a two-step Wagtail workflow, made (and remade) by
:func:`setup_newsroom` (``manage.py setup_newsroom``; ``make run`` calls it):

- "Phóng viên" writes articles and submits them for approval; it may edit only
  what it created (Wagtail's *add* permission) and never publishes; it uploads
  photos, chooses any photo of the library and edits only its own uploads;
- "Biên tập viên" edits every article and approves the first step;
- "Lãnh đạo duyệt" approves the last step, which publishes, and may publish.
Both approving roles may edit and delete any photo of the library.

Photos are granted on the root collection (they reach every collection below)
against ``wagtailimages.Image``: Wagtail's image permission policy checks the
permissions of that model whatever ``WAGTAILIMAGES_IMAGE_MODEL`` is, so the
project's own image model's permissions would grant nothing.

The workflow "Duyệt tin bài" is assigned to the home page, so every category,
and every category created later, inherits it (Wagtail uses the nearest
assignment up the tree); Wagtail's own "Moderators approval" workflow, assigned
to the root by its migrations, is deleted (switched off if it was ever used).
Running it again changes nothing that is already right; permissions an
operator added (e.g. a "Biên tập viên" limited to some categories instead of
the home page) are left alone, only missing ones are added. Wagtail's own
"Editors" and "Moderators" groups are retired (``articles.default_groups``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.permissions import policy_registry

from articles.default_groups import retire_wagtail_groups

WRITERS = "Phóng viên"
EDITORS = "Biên tập viên"
APPROVERS = "Lãnh đạo duyệt"
WORKFLOW = "Duyệt tin bài"
EDITOR_STEP = "Biên tập viên duyệt"
APPROVER_STEP = "Lãnh đạo duyệt và xuất bản"
# Created by Wagtail's migrations, assigned to the root page, in English.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


@dataclass(frozen=True)
class Role:
    group: str
    page_permissions: tuple[str, ...]  # Wagtail's: add, change, publish, lock, ...
    image_permissions: tuple[str, ...]  # add, change, choose, delete


ROLES = (
    Role(WRITERS, ("add",), ("add", "choose")),
    Role(EDITORS, ("add", "change", "lock"), ("add", "change", "choose", "delete")),
    Role(
        APPROVERS,
        ("add", "change", "publish", "lock", "unlock"),
        ("add", "change", "choose", "delete"),
    ),
)
STEPS = ((EDITOR_STEP, EDITORS), (APPROVER_STEP, APPROVERS))


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    group: str
    first_name: str
    last_name: str


# Development logins (``setup_newsroom --demo-users``, DEBUG only; README).
DEMO_USERS = (
    DemoUser("phongvien", "phongvien", WRITERS, "An", "Nguyễn Văn"),
    DemoUser("bientap", "bientap", EDITORS, "Bình", "Trần Thị"),
    DemoUser("lanhdao", "lanhdao", APPROVERS, "Cường", "Lê Văn"),
)


def _home_page() -> Page:
    from cms.models import HomePage

    return HomePage.objects.get()


def _page_permission(kind: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page), codename=f"{kind}_page"
    )


def _image_permission(kind: str) -> Permission:
    # The model whose permissions Wagtail's image policy checks (its
    # ``auth_model``), not the image model itself.
    model = policy_registry.get_by_type(get_image_model()).auth_model
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model),
        codename=get_permission_codename(kind, model._meta),
    )


def _drop_project_image_grants(group: Group) -> None:
    """Collection grants of the project's image model: they never granted anything
    (older ``setup_newsroom`` runs made them), and an operator reading the group's
    page would think they did."""
    model = get_image_model()
    if model is policy_registry.get_by_type(model).auth_model:
        return
    GroupCollectionPermission.objects.filter(
        group=group, permission__content_type=ContentType.objects.get_for_model(model)
    ).delete()


def _ensure_role(role: Role, *, home: Page, collection: Collection) -> Group:
    group, _ = Group.objects.get_or_create(name=role.group)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    for kind in role.page_permissions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=home, permission=_page_permission(kind)
        )
    _drop_project_image_grants(group)
    for kind in role.image_permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_image_permission(kind)
        )
    return group


def _ensure_task(name: str, group: Group) -> GroupApprovalTask:
    task = GroupApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=name)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(group)
    return task


def _ensure_workflow(tasks: list[GroupApprovalTask]) -> Workflow:
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    current = list(workflow.workflow_tasks.order_by("sort_order"))
    if [step.task_id for step in current] != [task.pk for task in tasks]:
        workflow.workflow_tasks.all().delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def _assign(workflow: Workflow, *, home: Page) -> None:
    """The newsroom's workflow for the home page and the root above it."""
    for page in (home, Page.get_first_root_node()):
        WorkflowPage.objects.update_or_create(
            page=page, defaults={"workflow": workflow}
        )
    # Pages only: snippets and other models keep no workflow.
    WorkflowContentType.objects.filter(workflow=workflow).delete()
    # Wagtail's default goes: deleted when never used (a fresh install), else
    # switched off, its history kept.
    for old in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        if not old.workflow_states.exists():
            old.delete()
        elif old.active:
            old.deactivate()
    for old in GroupApprovalTask.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        if not old.task_states.exists() and not old.workflow_tasks.exists():
            old.delete()
        elif old.active:
            old.deactivate()


@transaction.atomic
def setup_newsroom() -> Workflow:
    """The newsroom's groups, permissions and workflow; idempotent."""
    home = _home_page()
    collection = Collection.get_first_root_node()
    groups = {
        role.group: _ensure_role(role, home=home, collection=collection)
        for role in ROLES
    }
    tasks = [_ensure_task(name, groups[group]) for name, group in STEPS]
    workflow = _ensure_workflow(tasks)
    _assign(workflow, home=home)
    retire_wagtail_groups()
    return workflow


def create_demo_users(*, log: Callable[[str], None] = print) -> None:
    """One login per role (development only); existing users are left alone."""
    User = get_user_model()
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "email": f"{demo.username}@example.com",
                "first_name": demo.first_name,
                "last_name": demo.last_name,
            },
        )
        if created:
            user.set_password(demo.password)
            user.save()
            log(f"Development login created: {demo.username} / {demo.password}")
        user.groups.add(Group.objects.get(name=demo.group))
