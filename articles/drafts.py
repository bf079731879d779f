"""New articles: one per form, slugs that never fight the editor, abandoned drafts.

A "new article" form makes one article whatever the timing of Wagtail's
autosave and the editor's own save (:func:`create_article_once`): autosave
posts the form to the create view in the background, and until its answer
arrives the form still posts there, so a save clicked meanwhile (or an
autosave still pending when the editor saved) would create a second article.

Wagtail 8's autosave creates a new article as soon as its form is typed in. If
the editor walks away, that draft keeps the slug: the next article with the
same title would be offered the bare slug and fail to save. Here such a draft
counts as *abandoned* when only autosave ever saved it (the editor never saved,
submitted or published it; ``AutosavedNewArticle`` marks it), it was never
published, and nobody has it open (no Wagtail editing session seen within
``EditingSession.AVAILABLE_TIMEOUT``). Suggestions ignore abandoned drafts; the
article that claims such a slug deletes the draft holding it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.delete_page import DeletePageAction
from wagtail.admin.models import EditingSession
from wagtail.models import Page, WorkflowState

from articles.models import (
    ArticlePage,
    AutosavedNewArticle,
    NewArticleKey,
    unique_article_slug,
)

#: The hidden field of the new-article form that names the article it makes.
NEW_ARTICLE_KEY = "new_article_key"


def is_autosave(request: HttpRequest) -> bool:
    # Wagtail's autosave posts in the background and asks for JSON.
    return not request.accepts("text/html")


def _posted_key(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(NEW_ARTICLE_KEY, ""))
    except ValueError:
        return None


def create_article_once(
    request: HttpRequest, create_view: Callable[..., HttpResponse], **view_kwargs
) -> HttpResponse:
    """Wagtail's create view, unless this form already made its article: then
    the post edits that article (Wagtail's edit view, its permission checks
    included).

    One transaction around the whole post, which starts by claiming the key: a
    concurrent post of the same form waits for it (PostgreSQL blocks the
    second insert of a key until the first commits; SQLite's writes are
    serialised by ``transaction_mode=IMMEDIATE``) and then finds the article.
    """
    key = _posted_key(request)
    if key is None:
        return create_view(request, **view_kwargs)
    with transaction.atomic():
        claim, _ = NewArticleKey.objects.get_or_create(key=key)
        if claim.page_id is None:
            response = create_view(request, **view_kwargs)
            # Not created (the form was invalid): the key stays free for the
            # form shown again with its errors.
            NewArticleKey.objects.filter(key=key, page__isnull=True).delete()
            return response
        return _edit_instead(request, page_id=claim.page_id)


def edit_one_at_a_time(
    request: HttpRequest, edit_view: Callable[..., HttpResponse], **view_kwargs
) -> HttpResponse:
    """Wagtail's edit view with the page locked for the whole post.

    An autosave sent just before the editor's save, and handled beside it,
    would otherwise check for a newer revision before the save committed and
    store the older text as the newest revision; in turn, it finds the save's
    revision and is refused as out of date (Wagtail's own check).
    """
    with transaction.atomic():
        _lock_page(view_kwargs["page_id"])
        return edit_view(request, **view_kwargs)


def _lock_page(page_id: int) -> None:
    # A row lock on PostgreSQL; SQLite's IMMEDIATE transaction already holds
    # the database's write lock.
    list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk"))


def bind_new_article_key(*, request: HttpRequest, page: ArticlePage) -> None:
    """The article just created is the one its form's key names."""
    if (key := _posted_key(request)) is not None:
        NewArticleKey.objects.filter(key=key, page__isnull=True).update(page=page)


def _edit_instead(request: HttpRequest, *, page_id: int) -> HttpResponse:
    from wagtail.admin.views.pages.edit import EditView

    _lock_page(page_id)
    edit_url = reverse("wagtailadmin_pages:edit", args=(page_id,))
    if not is_autosave(request):
        return EditView.as_view()(request, page_id=page_id)
    page = ArticlePage.objects.get(pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    latest = page.get_latest_revision()  # the create view always saved one
    created = {"url": edit_url, "hydrate_url": f"{edit_url}?_w_hydrate_create_view=1"}
    if not AutosavedNewArticle.objects.filter(pk=page_id).exists():
        # The editor's save came first: this autosave holds the form as it was
        # before it, and must not become the newer revision.
        return JsonResponse(
            {
                "success": True,
                "pk": page_id,
                "revision_id": latest.pk,
                "revision_created_at": latest.created_at.isoformat(),
                **created,
            }
        )
    if latest.user_id == request.user.pk:
        # Another autosave of this form made the article: overwrite its
        # revision, as the form's next autosave would, so both answers name
        # the same revision and the next autosave is not refused as stale.
        request.POST = request.POST.copy()
        request.POST["overwrite_revision_id"] = str(latest.pk)
    response = EditView.as_view()(request, page_id=page_id)
    if response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(response.content)
        if data.get("success"):
            return JsonResponse({**data, **created})
    return response


def mark_autosaved_new_article(*, page: ArticlePage) -> None:
    AutosavedNewArticle.objects.get_or_create(page=page)


def mark_saved_by_editor(*, page: ArticlePage) -> None:
    AutosavedNewArticle.objects.filter(page_id=page.pk).delete()


def abandoned_drafts() -> QuerySet[ArticlePage]:
    """New articles only autosave saved, never published, that nobody has open."""
    content_types = ContentType.objects.get_for_models(
        Page, ArticlePage, for_concrete_models=False
    ).values()
    open_ids = [
        int(object_id)
        for object_id in EditingSession.objects.available()
        .filter(content_type__in=content_types)
        .values_list("object_id", flat=True)
        if object_id.isdigit()
    ]
    # Both keep the object id as text: compared in Python, since PostgreSQL
    # refuses to compare varchar with the integer page id.
    in_review = [
        int(object_id)
        for object_id in WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS
        ).values_list("object_id", flat=True)
        if object_id.isdigit()
    ]
    return ArticlePage.objects.filter(
        pk__in=AutosavedNewArticle.objects.values("page_id"),
        live=False,
        first_published_at__isnull=True,
    ).exclude(pk__in=[*open_ids, *in_review])


def suggest_article_slug(*, text: str, page_id: int | None = None) -> str:
    """The slug an article titled (or slugged) ``text`` would get now."""
    return unique_article_slug(
        text, exclude_pk=page_id, ignore=abandoned_drafts().values("pk")
    )


@transaction.atomic
def claim_article_slug(*, text: str, page_id: int | None = None, user=None) -> str:
    """:func:`suggest_article_slug`, deleting the abandoned draft holding it."""
    slug = suggest_article_slug(text=text, page_id=page_id)
    for draft in abandoned_drafts().filter(slug=slug).exclude(pk=page_id):
        DeletePageAction(draft, user=user).execute(skip_permission_checks=True)
    return slug


def sweep_abandoned_drafts(*, now: datetime | None = None) -> int:
    """Delete the abandoned autosave drafts (:func:`abandoned_drafts`: only
    autosave ever saved them, never submitted or published, nobody has them
    open) last autosaved more than ``AUTOSAVE_DRAFT_MAX_AGE_HOURS`` ago, and
    forget the keys of new-article forms as old. Returns the drafts deleted.

    The scheduler runs it (``manage.py sweep_drafts``, Procfile). A draft an
    editor saved, submitted or published is never one of them.
    """
    cutoff = (now or timezone.now()) - timedelta(
        hours=settings.AUTOSAVE_DRAFT_MAX_AGE_HOURS
    )
    deleted = 0
    for draft in abandoned_drafts().filter(latest_revision_created_at__lt=cutoff):
        with transaction.atomic():
            # Checked again under the transaction: the editor may have come back.
            if abandoned_drafts().filter(pk=draft.pk).exists():
                DeletePageAction(draft, user=None).execute(skip_permission_checks=True)
                deleted += 1
    NewArticleKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
