"""Recording what readers see change: the one reconcile behind the change
feed (``GET /api/v1/changes/``) and the webhooks.

:func:`record_changes` compares what a reader may see now (``articles.
selectors``, i.e. ``articles.visibility``) with what the change rows last
recorded (``articles.models.Change``) and records the differences: an object
newly shown or shown differently is an ``upsert``, one no longer shown for
whatever reason (unpublished, deleted, moved or restricted, expired, its
category hidden) a ``delete``. Because it compares states rather than
listening for reasons, every reason is covered, and so is what happens with no
event at all (a ``published_at`` or ``go_live_at`` reached, an ``expire_at``
passed): the scheduler runs it every minute (``manage.py record_changes``),
and :func:`record_reader_change` runs it after any change in the admin, an
import or a command, for the articles concerned (it subscribes to
``articles.reader_changes``' one event, sent on commit).

What an article shows is named by its fingerprint: its published version,
its path (slug, category, moves) and its category's name. A category's: its
title, slug, description and path.

Every change recorded is sent as :data:`changes_recorded` inside the same
transaction, with the event a webhook announces (``webhooks`` notes a delivery
per endpoint there, and builds its payload once the log's lock is released),
so that the feed and the webhooks share one source of truth.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import Page

from articles import reader_changes, selectors
from articles.models import CHANGE_LOG_ID, Change, ChangeLog
from articles.reader_changes import ReaderChange

#: Sent inside the recording transaction with ``changes``, a list of
#: :class:`Recorded`, in ``seq`` order.
changes_recorded = Signal()

ARTICLE_PUBLISHED = "article.published"
ARTICLE_UPDATED = "article.updated"
ARTICLE_UNPUBLISHED = "article.unpublished"
CATEGORY_UPDATED = "category.updated"
EVENTS = (ARTICLE_PUBLISHED, ARTICLE_UPDATED, ARTICLE_UNPUBLISHED, CATEGORY_UPDATED)


@dataclass(frozen=True)
class Recorded:
    change: Change
    event: str


@dataclass(frozen=True)
class Shown:
    slug: str
    fingerprint: str


def record_changes(
    *,
    article_ids: Iterable[int] | None = None,
    refreshed: Iterable[int] = (),
    now: datetime | None = None,
) -> list[Recorded]:
    """Record what changed for readers since the last call: for the articles
    ``article_ids`` only (what a signal names), else for every article and
    category. The visible articles among ``refreshed`` are recorded as
    updated whatever their fingerprint (what it does not name changed: a tag
    renamed, their feature image's caption). Returns what was recorded."""
    refreshed = set(refreshed)
    if article_ids is not None:
        article_ids = set(article_ids) | refreshed
    now = now or timezone.now()
    with transaction.atomic():
        # Taken first: two recordings never compare against the same rows, and
        # positions are given in commit order.
        log = _locked_log()
        if article_ids is None:
            categories = _shown_categories()
            recorded = _differences(Change.Kind.CATEGORY, categories, ids=None)
            articles = _shown_articles(ids=None, categories=categories)
            recorded += _differences(
                Change.Kind.ARTICLE, articles, ids=None, refreshed=refreshed
            )
        else:
            ids = set(article_ids)
            articles = _shown_articles(ids=ids, categories=_shown_categories())
            recorded = _differences(
                Change.Kind.ARTICLE, articles, ids=ids, refreshed=refreshed
            )
        if not recorded:
            return []
        for change, _event in recorded:
            log.last_seq += 1
            change.seq = log.last_seq
            change.at = now
        log.save(update_fields=["last_seq"])
        _write([change for change, _event in recorded])
        result = [Recorded(change=change, event=event) for change, event in recorded]
        changes_recorded.send(sender=Change, changes=result)
        # What no signal announced (time passed) retires kept answers too.
        reader_changes.recorded()
    return result


def prune_changes(*, now: datetime | None = None) -> int:
    """Drop deletions older than ``CHANGES_RETENTION_DAYS``; a cursor that may
    have missed one is answered 410 (:func:`pruned_through`, ``api.
    change_feed``). Returns how many were dropped."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CHANGES_RETENTION_DAYS)
    with transaction.atomic():
        log = _locked_log()
        old = Change.objects.filter(action=Change.Action.DELETE, at__lt=cutoff)
        last = old.aggregate(last=Max("seq"))["last"]
        if last is None:
            return 0
        dropped, _ = old.delete()
        log.pruned_through = max(log.pruned_through, last)
        log.save(update_fields=["pruned_through"])
    return dropped


def pruned_through() -> int:
    """The highest position of a deletion retention dropped (0: none)."""
    log = ChangeLog.objects.filter(pk=CHANGE_LOG_ID).values("pruned_through").first()
    return log["pruned_through"] if log else 0


def changes_after(seq: int, *, limit: int) -> list[Change]:
    """Up to ``limit`` changes after position ``seq``, in order."""
    return list(Change.objects.filter(seq__gt=seq).order_by("seq")[:limit])


# --- the change recorder, a subscriber of articles.reader_changes -----------------


def record_reader_change(change: ReaderChange) -> None:
    """Record what ``change`` may have changed (``articles.reader_changes``,
    stage ``RECORD``): its articles, or everything when it names none in
    particular. A failure is logged there (the scheduler's next run records
    what was missed, but for ``refreshed``)."""
    if change.article_ids is None:
        record_changes(refreshed=change.refreshed)
    elif change.article_ids or change.refreshed:
        record_changes(article_ids=change.article_ids, refreshed=change.refreshed)


# --- what is shown, what was recorded -------------------------------------------------


def _locked_log() -> ChangeLog:
    log, _ = ChangeLog.objects.get_or_create(pk=CHANGE_LOG_ID)
    return ChangeLog.objects.select_for_update().get(pk=log.pk)


def _shown_categories() -> dict[str, tuple[int, str, Shown]]:
    """The visible categories by path: (id, title, what they show)."""
    rows = selectors.visible_categories().values_list(
        "path", "id", "slug", "title", "url_path", "description"
    )
    return {
        path: (pk, title, Shown(slug=slug, fingerprint=_fingerprint(title, url, text)))
        for path, pk, slug, title, url, text in rows
    }


def _shown_articles(
    *, ids: set[int] | None, categories: dict[str, tuple[int, str, Shown]]
) -> dict[int, Shown]:
    articles = selectors.visible_articles()
    if ids is not None:
        articles = articles.filter(pk__in=ids)
    rows = articles.order_by().values_list(
        "id", "slug", "path", "url_path", "live_revision_id", "last_published_at"
    )
    shown = {}
    for pk, slug, path, url_path, revision, published in rows:
        category = categories.get(path[: -Page.steplen])
        if category is None:  # hidden between the two reads: next time
            continue
        version = published.timestamp() if published else ""
        fingerprint = _fingerprint(revision, version, url_path, category[1])
        shown[pk] = Shown(slug=slug, fingerprint=fingerprint)
    return shown


def _fingerprint(*parts) -> str:
    text = "|".join(str(part) for part in parts)
    if len(text) > 255:  # long titles: bounded, still changing with any part
        text = text[:190] + "#" + hashlib.sha256(text.encode()).hexdigest()
    return text


def _differences(
    kind: str, shown: dict, *, ids: set[int] | None, refreshed: set[int] = frozenset()
) -> list:
    """(change, event) for each object of ``kind`` whose shown state differs
    from its row (or is ``refreshed``); ``shown`` maps id (or a category's
    path) to what it shows."""
    if kind == Change.Kind.CATEGORY:
        shown = {pk: state for pk, _title, state in shown.values()}
    rows = Change.objects.filter(kind=kind)
    if ids is not None:
        rows = rows.filter(object_id__in=ids)
    # Tuples, not instances: a full recording reads a row per article ever
    # shown, and only the few that changed become instances.
    recorded = {
        object_id: (pk, action, fingerprint, slug)
        for pk, object_id, action, fingerprint, slug in rows.values_list(
            "pk", "object_id", "action", "fingerprint", "slug"
        )
    }
    differences = []
    for object_id, state in shown.items():
        pk, action, fingerprint, _slug = recorded.get(object_id, (None,) * 4)
        if pk is None or action == Change.Action.DELETE:
            event = ARTICLE_PUBLISHED
        elif fingerprint != state.fingerprint or object_id in refreshed:
            event = ARTICLE_UPDATED
        else:
            continue
        change = Change(
            pk=pk,
            kind=kind,
            object_id=object_id,
            action=Change.Action.UPSERT,
            slug=state.slug,
            fingerprint=state.fingerprint,
        )
        differences.append((change, _event(kind, event)))
    for object_id, (pk, action, _fingerprint, slug) in recorded.items():
        if object_id in shown or action == Change.Action.DELETE:
            continue
        change = Change(
            pk=pk,
            kind=kind,
            object_id=object_id,
            action=Change.Action.DELETE,
            slug=slug,
            fingerprint="",
        )
        differences.append((change, _event(kind, ARTICLE_UNPUBLISHED)))
    differences.sort(key=lambda pair: pair[0].object_id)
    return differences


def _event(kind: str, article_event: str) -> str:
    return CATEGORY_UPDATED if kind == Change.Kind.CATEGORY else article_event


def _write(changes: list[Change]) -> None:
    """Save the changes; an existing row moves to its new position (every new
    position is above every old one: no two rows ever share one)."""
    new = [change for change in changes if change.pk is None]
    moved = [change for change in changes if change.pk is not None]
    if moved:
        Change.objects.bulk_update(
            moved, ["seq", "action", "slug", "fingerprint", "at"], batch_size=500
        )
    if new:
        Change.objects.bulk_create(new, batch_size=500)


__all__ = [
    "ARTICLE_PUBLISHED",
    "ARTICLE_UNPUBLISHED",
    "ARTICLE_UPDATED",
    "CATEGORY_UPDATED",
    "EVENTS",
    "Recorded",
    "changes_after",
    "changes_recorded",
    "prune_changes",
    "pruned_through",
    "record_changes",
    "record_reader_change",
]
