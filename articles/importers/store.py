"""Writing one imported article: created as the dump has it, or, when it
exists, merged with what editors did (``articles.importers.merge``) and
published as a new revision. The record of what the import wrote
(``LegacyImport``) is kept in the same transaction."""

from django.db import transaction
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from articles.importers.merge import (
    Current,
    DumpContent,
    Merged,
    adopt,
    base_of,
    merge,
)
from articles.models import ArticlePage, CategoryPage, LegacyImport
from articles.services import ArticleData, Upsert, upsert_article


@transaction.atomic
def store_article(
    *, category: CategoryPage, data: ArticleData, dump: DumpContent
) -> tuple[ArticlePage, Upsert, list[str]]:
    """Create the article of ``data.key`` from ``data``, or merge ``dump`` into
    the one there is; returns it, what was done, and notes for the operator
    (what an editor changed that the dump changed too, and was kept)."""
    article = ArticlePage.objects.filter(legacy_key=data.key).first()
    if article is None:
        article, outcome = upsert_article(category=category, data=data)
        ids = [block["id"] for block in article.body.get_prep_value()]
        LegacyImport.objects.create(article=article, base=base_of(dump, block_ids=ids))
        return article, outcome, []
    record = LegacyImport.objects.filter(article=article).first()
    current = current_of(article)
    notes: list[str] = []
    if record is None:
        base, notes = adopt(dump, current=current)
    else:
        base = record.base
    merged = merge(base=base, dump=dump, current=current)
    notes += merged.notes
    if merged.changed:
        draft = _editors_draft(article)
        _write(article, merged, current=current, notes=notes)
        if draft is not None:
            _merge_into_draft(draft, base=base, dump=dump, notes=notes)
    if record is None or record.base != merged.base:
        LegacyImport.objects.update_or_create(
            article=article, defaults={"base": merged.base}
        )
    return article, Upsert.UPDATED if merged.changed else Upsert.UNCHANGED, notes


def current_of(article: ArticlePage) -> Current:
    """The article as it is live (the page row), for a merge."""
    parent = (
        Page.objects.filter(path=article.path[: -Page.steplen])
        .values_list("pk", flat=True)
        .get()
    )
    return Current(
        title=article.title,
        published_at=article.published_at,
        category=parent,
        feature_image=article.feature_image_id,
        body=list(article.body.get_prep_value()),
    )


def _write(
    article: ArticlePage, merged: Merged, *, current: Current, notes: list[str]
) -> None:
    """Publish ``merged`` as a new revision (saved only, when an editor
    unpublished the article)."""
    # Wagtail would rebuild the reference index on each save; once at the end.
    with disable_reference_index_auto_update():
        if merged.category != current.category:
            article.move(CategoryPage.objects.get(pk=merged.category), "last-child")
            article.refresh_from_db()
        _assign(article, merged, current=current)
        article.full_clean()
        revision = article.save_revision(clean=False)
        if article.live:
            revision.publish()
        else:
            notes.append(
                "unpublished in the admin: the dump's changes are saved as a "
                "draft, not published"
            )
    ReferenceIndex.create_or_update_for_object(article)


def _assign(article: ArticlePage, merged: Merged, *, current: Current) -> None:
    article.title = merged.title
    if merged.published_at != current.published_at:
        article.published_at = merged.published_at
        article.first_published_at = merged.published_at
    article.feature_image_id = merged.feature_image
    article.body = merged.body


def _editors_draft(article: ArticlePage) -> Revision | None:
    """The unpublished draft of a live article, if an editor has one."""
    if not (article.live and article.has_unpublished_changes):
        return None
    return article.latest_revision


def _merge_into_draft(
    draft: Revision, *, base: dict, dump: DumpContent, notes: list[str]
) -> None:
    """The editor's draft stays the latest revision, with the dump's changes
    merged into it as into the live article (publishing it later keeps both)."""
    page = draft.as_object()
    current = current_of(page)
    merged = merge(base=base, dump=dump, current=current)
    if not merged.changed:
        return
    _assign(page, merged, current=current)
    page.save_revision(user=draft.user, clean=False)
    notes.append("an editor's unpublished draft got the dump's changes too")
