"""Slugs that never fight the editor: abandoned autosave drafts and free slugs.

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

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from wagtail.actions.delete_page import DeletePageAction
from wagtail.admin.models import EditingSession
from wagtail.models import Page, WorkflowState

from articles.models import ArticlePage, AutosavedNewArticle, unique_article_slug


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
