"""What an approver said when sending an article back, for its writer's edit form.

Wagtail keeps the comment of a "request changes" on the rejected task state and
shows it only in the workflow history; the writer who opens the article to fix
it must see it where they edit.
"""

from __future__ import annotations

from django.utils.translation import gettext
from wagtail.models import Page, TaskState, WorkflowState


def changes_requested(*, page: Page) -> str | None:
    """The note for an article sent back for changes (None when it is not)."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return None
    values = {
        "user": _name(task_state.finished_by),
        "task": task_state.task.name,
        "comment": task_state.get_comment(),
    }
    if values["comment"]:
        return (
            gettext("%(user)s sent the article back at “%(task)s”: “%(comment)s”")
            % values
        )
    return gettext("%(user)s sent the article back at “%(task)s”.") % values


def _name(user) -> str:
    # Vietnamese order: family name first ("Trần Thị Bình").
    if user is None:
        return ""
    return " ".join(filter(None, (user.last_name, user.first_name))) or (
        user.get_username()
    )
