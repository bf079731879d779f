"""The one owner of "what readers see has changed".

Wagtail's and Django's signals say that something an editor, an import or a
command did may change what readers see: a page published, unpublished,
moved or deleted, a view restriction or a site saved or deleted, an image, a
document, an embed or a tag changed. This module is the only one that listens
to them (``wagtail.signals`` is imported nowhere else: tests/articles/
test_reader_changes.py checks it). It turns them into one project event,
:class:`ReaderChange`, which says what changed, and sends it **once per
transaction, after the commit**: the signals of one transaction (a publish
saves a revision and a page and sends ``page_published``; deleting a category
deletes every page below it) are gathered into one event. A rolled-back
transaction sends nothing.

Who acts on the event subscribes with :func:`subscribe`, at a :class:`Stage`;
the stages run in order, so that nothing is rebuilt from the old state in
between:

1. ``RECORD``: the change log (``articles.changes``: the change feed; the
   webhooks follow the changes it records).
2. ``FORGET``: the stored article documents showing what changed
   (``api.documents``).
3. ``RETIRE``: the kept answers, a new content version and the Varnish purge
   (``api.response_cache``), last: a request after it finds the change log
   and the documents already up to date.

A subscriber that fails is logged and the others still run: the editor's
request has committed and must not fail afterwards (the scheduler records
what a failed recording missed; kept answers expire).

What time alone changes (a ``go_live_at`` or ``published_at`` reached, an
expiry) has no signal: the scheduler's ``record_changes`` finds it and calls
:func:`note` with :data:`RECORDED`, so kept answers retire then too. Changes
made by the subscribers themselves (change rows, documents, deliveries) are
not reader changes and send nothing.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.embeds.models import Embed
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

# What happened (a ReaderChange's ``kinds``).
PUBLISH = "publish"
UNPUBLISH = "unpublish"
MOVE = "move"
DELETE = "delete"
RESTRICTION = "restriction"
SITE = "site"
IMAGE = "image"
DOCUMENT = "document"
EMBED = "embed"
TAG = "tag"
#: The change log recorded what time alone changed (``articles.changes``).
RECORDED = "recorded"

#: In ``documents``: every stored document.
EVERY_DOCUMENT = "*"
#: In ``documents``: every document linking to any page.
ANY_PAGE = "page:"


@dataclass(frozen=True)
class ReaderChange:
    """What changed for readers in one transaction.

    ``article_ids``: the articles whose visibility or shape may have changed
    (``None``: any article or category, e.g. a category published or a view
    restriction). ``refreshed``: visible articles showing something that
    changed without a new version of theirs (a tag renamed, their feature
    image's caption): announced as updated whatever their fingerprint, and
    their stored documents dropped. ``documents``: what the dropped stored
    documents show (``api.documents.forget``'s references: "image:12",
    "page:40", "document:3", "embed", :data:`ANY_PAGE`,
    :data:`EVERY_DOCUMENT`). ``page_ids``: the pages the signals named."""

    kinds: frozenset[str]
    article_ids: frozenset[int] | None = frozenset()
    refreshed: frozenset[int] = frozenset()
    documents: frozenset[str] = frozenset()
    page_ids: frozenset[int] = frozenset()

    def __or__(self, other: "ReaderChange") -> "ReaderChange":
        if self.article_ids is None or other.article_ids is None:
            article_ids = None
        else:
            article_ids = self.article_ids | other.article_ids
        return ReaderChange(
            kinds=self.kinds | other.kinds,
            article_ids=article_ids,
            refreshed=self.refreshed | other.refreshed,
            documents=_fewest(self.documents | other.documents),
            page_ids=self.page_ids | other.page_ids,
        )

    @property
    def retires_answers(self) -> bool:
        """Whether kept answers must go. Not for embeds alone: their rows are
        written while a document is built for a reader, and a read must not
        purge the cache tier."""
        return bool(self.kinds - {EMBED})


def _fewest(documents: frozenset[str]) -> frozenset[str]:
    """The same documents named once: "*" covers all, "page:" every "page:N"."""
    if EVERY_DOCUMENT in documents:
        return frozenset({EVERY_DOCUMENT})
    if ANY_PAGE in documents:
        return frozenset(d for d in documents if not d.startswith("page:")) | {ANY_PAGE}
    return documents


# --- subscribers -----------------------------------------------------------------


class Stage(IntEnum):
    RECORD = 1
    FORGET = 2
    RETIRE = 3


Receiver = Callable[[ReaderChange], None]
_subscribers: dict[str, tuple[Stage, Receiver]] = {}


def subscribe(name: str, receiver: Receiver, *, stage: Stage) -> None:
    """Call ``receiver(change)`` for every :class:`ReaderChange`, at ``stage``
    (see the module's text); ``name`` is unique, subscribing again replaces."""
    _subscribers[name] = (stage, receiver)


def unsubscribe(name: str) -> None:
    _subscribers.pop(name, None)


def subscribers() -> list[str]:
    """The names subscribed, in the order they are called."""
    ordered = sorted(_subscribers.items(), key=lambda item: item[1][0])
    return [name for name, _ in ordered]


# --- gathering, once per transaction -----------------------------------------------

_state = threading.local()


def note(change: ReaderChange, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Add ``change`` to what the current transaction changes for readers, to
    be sent as one event once it commits (outside a transaction: at once).

    Each note queues a commit callback (a savepoint rolled back drops its
    own); the first to run sends everything gathered, the others find it
    sent. A publish or a move sends one signal, so one callback."""
    if getattr(_state, "dispatching", False):
        return  # a subscriber's own writes: the event being sent covers them
    pending = getattr(_state, "pending", None)
    if pending is not None and _still_queued(pending, using=using):
        pending.change = pending.change | change
    else:
        pending = _state.pending = _Pending(change=change)
    transaction.on_commit(pending.send, using=using)


@dataclass(eq=False)
class _Pending:
    change: ReaderChange
    sent: bool = field(default=False)

    def send(self) -> None:
        if self.sent:
            return
        if getattr(_state, "pending", None) is self:
            _state.pending = None
        self.sent = True
        dispatch(self.change)


def _still_queued(pending: _Pending, *, using: str) -> bool:
    """Whether one of ``pending``'s commit callbacks is still waiting: a
    rollback of the transaction (or of the savepoints they were queued in)
    drops them, and what was gathered with them."""
    if pending.sent:
        return False
    return any(
        callback == pending.send for _sids, callback, *_ in _run_on_commit(using)
    )


def _run_on_commit(using: str) -> list:
    return connections[using].run_on_commit


def dispatch(change: ReaderChange) -> None:
    """Send ``change`` to every subscriber now, stage by stage."""
    _state.dispatching = True
    try:
        for name in subscribers():
            _stage, receiver = _subscribers[name]
            try:
                receiver(change)
            except Exception:
                logger.exception("Readers' view changed: %s failed", name)
    finally:
        _state.dispatching = False


# --- from Wagtail's and Django's signals -------------------------------------------


def _page(instance: Page, kind: str, *, documents: str | None = None) -> ReaderChange:
    from articles.models import ArticlePage

    if issubclass(instance.specific_class or Page, ArticlePage):
        article_ids = frozenset({instance.pk})
        shown = f"page:{instance.pk}"  # the documents linking to it
    else:  # a category (or above): its URL is part of every article's below it
        article_ids = None
        shown = ANY_PAGE
    return ReaderChange(
        kinds=frozenset({kind}),
        article_ids=article_ids,
        documents=frozenset({documents or shown}),
        page_ids=frozenset({instance.pk}),
    )


def published(sender, instance, **kwargs) -> None:
    note(_page(instance, PUBLISH))


def unpublished(sender, instance, **kwargs) -> None:
    note(_page(instance, UNPUBLISH))


def moved(sender, instance, **kwargs) -> None:
    # A moved page moves every page below it: any link may change.
    note(_page(instance, MOVE, documents=ANY_PAGE))


def deleted(sender, instance, **kwargs) -> None:
    note(_page(instance, DELETE))


def everything_may_change(sender, raw=False, **kwargs) -> None:
    """A view restriction or a site: any article may be shown or hidden; a
    site's root path is part of every link."""
    if raw:
        return
    if sender is Site:
        change = ReaderChange(
            kinds=frozenset({SITE}),
            article_ids=None,
            documents=frozenset({EVERY_DOCUMENT}),
        )
    else:
        change = ReaderChange(kinds=frozenset({RESTRICTION}), article_ids=None)
    note(change)


def image_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    """Its caption, alt or credit shows in the documents and the summaries
    featuring it (after a delete, none feature it any more). A new image is
    shown nowhere yet."""
    from articles.models import ArticlePage

    if created or raw:
        return
    featuring = frozenset(
        ArticlePage.objects.filter(feature_image=instance).values_list("pk", flat=True)
    )
    note(
        ReaderChange(
            kinds=frozenset({IMAGE}),
            refreshed=featuring,
            documents=frozenset({f"image:{instance.pk}"}),
        )
    )


def document_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not created and not raw:
        note(
            ReaderChange(
                kinds=frozenset({DOCUMENT}),
                documents=frozenset({f"document:{instance.pk}"}),
            )
        )


def embed_changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        note(ReaderChange(kinds=frozenset({EMBED}), documents=frozenset({"embed"})))


def tag_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A tag renamed, or about to be deleted (its articles' links to it go
    first, so after the delete they could not be found)."""
    from articles.models import ArticlePageTag

    if created or raw:
        return
    tagged = ArticlePageTag.objects.filter(tag=instance)
    if ids := frozenset(tagged.values_list("content_object_id", flat=True)):
        note(ReaderChange(kinds=frozenset({TAG}), refreshed=ids))


def recorded() -> None:
    """The change log recorded something no signal announced (time passed)."""
    note(ReaderChange(kinds=frozenset({RECORDED})))


def connect() -> None:
    from articles.models import NewsImage

    receivers = [
        (published, None, (page_published,)),
        (unpublished, None, (page_unpublished,)),
        (moved, None, (post_page_move,)),
        # Deleting an article deletes its Page row too: one receiver covers both.
        (deleted, Page, (post_delete,)),
        (everything_may_change, PageViewRestriction, (post_save, post_delete)),
        (everything_may_change, Site, (post_save, post_delete)),
        (image_changed, NewsImage, (post_save, post_delete)),
        (document_changed, get_document_model(), (post_save, post_delete)),
        (embed_changed, Embed, (post_save, post_delete)),
        (tag_changed, Tag, (post_save, pre_delete)),
    ]
    for receiver, model, signals in receivers:
        for signal in signals:
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"articles.reader_changes.{receiver.__name__}."
                f"{getattr(model, '__name__', 'any')}.{id(signal)}",
            )
