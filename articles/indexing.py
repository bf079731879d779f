"""Search indexing of articles, which a bulk import can put off to the end.

Wagtail indexes a page on every save, and publishing a new article saves it
three times (create, revision, publish). On SQLite each of those also rewrites
the title norms of every new index entry, so a long import slows down as it
goes. ``ArticlePage`` therefore opts out of modelsearch's own save handler
(``search_auto_update = False``) and :func:`index_on_save` does the same work,
unless a :func:`deferred_search_index` block is collecting the saved articles to
index them together. Outside such a block nothing changes for the admin.

On PostgreSQL the article's own search entry (``articles.pg_search``) is
written at the same points.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import (
    post_delete_signal_handler,
    post_save_signal_handler,
)

from articles.models import ArticlePage
from articles.pg_search import index_entries, uses_postgres_search, write_entries

_pending: ContextVar[set[int] | None] = ContextVar(
    "pending_article_index", default=None
)


def index_on_save(sender, instance, **kwargs) -> None:
    """post_save of an article: index it now, or note it for the deferred batch."""
    pending = _pending.get()
    if kwargs.get("raw", False):
        post_save_signal_handler(instance, **kwargs)
    elif pending is None:
        post_save_signal_handler(instance, **kwargs)
        # PostgreSQL's own search entry, from the row as stored (a draft's
        # save leaves the live fields alone), in the saving transaction.
        index_entries([instance.pk])
    else:
        pending.add(instance.pk)


def unindex_on_delete(sender, instance, **kwargs) -> None:
    """post_delete of an article: out of the index at once (never deferred)."""
    pending = _pending.get()
    if pending is not None:
        pending.discard(instance.pk)
    post_delete_signal_handler(instance, **kwargs)


class DeferredIndex:
    """The articles saved inside a :func:`deferred_search_index` block."""

    def __init__(self) -> None:
        self.pending: set[int] = set()

    def flush(self) -> None:
        """Index what was saved so far.

        Call it outside any article's transaction: a rollback after it would
        drop the new index entries along with that article's writes.
        """
        pks = set(self.pending)
        self.pending.clear()
        index_articles(pks)


@contextmanager
def deferred_search_index() -> Iterator[DeferredIndex]:
    """Collect the articles saved within; index them in one go on the way out.

    They are indexed on the way out even after an error (those whose
    transaction was rolled back are skipped, being gone or unchanged).
    """
    deferred = DeferredIndex()
    token = _pending.set(deferred.pending)
    try:
        yield deferred
    finally:
        _pending.reset(token)
        index_articles(deferred.pending)


def index_articles(pks: Iterable[int]) -> None:
    """Add or update the search index entries of the articles ``pks`` that exist."""
    pks = list(pks)
    if not pks:
        return
    with transaction.atomic():
        articles = list(ArticlePage.get_indexed_objects().filter(pk__in=pks))
        if not articles:
            return
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(ArticlePage, articles)
        if uses_postgres_search():
            write_entries(articles)
