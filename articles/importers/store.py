"""Writing one imported article: created as the dump has it, or, when it
exists, merged with what editors did (``articles.importers.merge``) and
published as a new revision. The record of what the import wrote
(``LegacyImport``) is kept in the same transaction."""

from django.db import transaction
from wagtail.models import Page, ReferenceIndex
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
        notes += _write(article, merged, current=current)
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


def _write(article: ArticlePage, merged: Merged, *, current: Current) -> list[str]:
    """Publish ``merged`` as a new revision (saved only, when an editor
    unpublished the article); notes for what the operator should know."""
    notes = []
    # Wagtail would rebuild the reference index on each save; once at the end.
    with disable_reference_index_auto_update():
        if merged.category != current.category:
            article.move(CategoryPage.objects.get(pk=merged.category), "last-child")
            article.refresh_from_db()
        article.title = merged.title
        if merged.published_at != current.published_at:
            article.published_at = merged.published_at
            article.first_published_at = merged.published_at
        article.feature_image_id = merged.feature_image
        article.body = merged.body
        article.full_clean()
        had_draft = article.has_unpublished_changes and article.live
        revision = article.save_revision(clean=False)
        if article.live:
            revision.publish()
            if had_draft:
                notes.append(
                    "an unpublished draft from the admin is no longer the latest "
                    "revision (it is in the page's history)"
                )
        else:
            notes.append(
                "unpublished in the admin: the dump's changes are saved as a "
                "draft, not published"
            )
    ReferenceIndex.create_or_update_for_object(article)
    return notes
