"""The change feed, ``GET /api/v1/changes/``: what readers see change, in
order, for clients that keep a copy (mobile apps offline, static builds).

Each change is the last of its object (``articles.models.Change``): an
article's or category's ``upsert`` with its current shape (the summary from
``api.representation``, never another copy of it), or a ``delete`` with id
and slug only. Webhooks send the same change objects (:func:`change_entries`).

The cursor is opaque to clients. It holds the position of the last change
read and how far retention had dropped deletions when it was given
(``ChangeLog.pruned_through``): a cursor is too old (410) only when deletions
were dropped since, above both. So a client that started a full sync after a
drop, whose first positions lie below it, is never told to start again, and
a client that may hold an article whose deletion was dropped always is.

It also holds the database's epoch (``cms.epoch``), renewed when a backup is
restored: positions given after the backup was taken are then given out
again, for other changes, so a cursor of another epoch would silently skip
them; it is answered 410 like a too-old one. A cursor without an epoch (given
before epochs existed) is still good until the first restore, then 410.
"""

import re
from dataclasses import dataclass

from django.http import HttpRequest
from rest_framework.exceptions import APIException, ValidationError

from api import representation
from articles import selectors
from articles.models import Change
from cms.epoch import Epoch

#: Two positions in hexadecimal (at most 60 bits each: within a BigInteger),
#: then the database's epoch (16 hexadecimal digits; absent from cursors given
#: before epochs existed).
CURSOR_PATTERN = r"^([0-9a-f]{1,15}\.[0-9a-f]{1,15}(\.[0-9a-f]{16})?)?$"
CURSOR_MAX_LENGTH = 48
CURSOR = re.compile(CURSOR_PATTERN.strip("^$"))
INVALID_CURSOR = "Not a cursor this API gave: use next_cursor as it came."
EXPIRED_CURSOR = (
    "Changes this old are no longer kept: sync again from the start (leave "
    "since out), then follow next_cursor."
)
RESTORED_CURSOR = (
    "The database was restored from a backup since this cursor was given: "
    "sync again from the start (leave since out), then follow next_cursor."
)


class CursorExpired(APIException):
    """410: deletions after the cursor were dropped (``CHANGES_RETENTION_DAYS``),
    or the cursor is of another epoch of the database (a backup restored)."""

    status_code = 410
    default_detail = EXPIRED_CURSOR
    parameter = "since"


@dataclass(frozen=True)
class Cursor:
    #: The position of the last change read.
    seq: int
    #: How far retention had dropped deletions when it was given.
    known_drop: int
    #: The database's epoch then; ``None`` in a cursor from before epochs.
    epoch: str | None


def encode_cursor(seq: int, *, pruned_through: int, epoch: str) -> str:
    return f"{seq:x}.{pruned_through:x}.{epoch}"


def decode_cursor(cursor: str) -> Cursor | None:
    """What a cursor holds (``None`` for none: from the start); 400 naming
    ``since`` if it is not a cursor (``CURSOR_PATTERN``, which the schema
    gives too, so every cursor it allows is one)."""
    if not cursor:
        return None
    if not CURSOR.fullmatch(cursor):
        raise ValidationError({"since": [INVALID_CURSOR]})
    seq, pruned_through, *epoch = cursor.split(".")
    return Cursor(
        seq=int(seq, 16),
        known_drop=int(pruned_through, 16),
        epoch=epoch[0] if epoch else None,
    )


def check_epoch(cursor: Cursor, *, current: Epoch) -> None:
    """410 unless ``cursor`` was given in the database's ``current`` epoch:
    a cursor without one only while no restore has renewed it."""
    if cursor.epoch is None:
        if current.renewed_at is not None:
            raise CursorExpired(RESTORED_CURSOR)
    elif cursor.epoch != current.value:
        raise CursorExpired(RESTORED_CURSOR)


def change_entries(changes: list[Change], *, request: HttpRequest) -> list[dict]:
    """The Change objects of ``changes`` (rows of ``articles.models.Change``),
    in order: a few queries whatever their number. An upsert of an object a
    reader can no longer see (hidden since, not yet recorded) is answered as
    the delete it is about to be."""
    article_ids = [c.object_id for c in changes if _is(c, Change.Kind.ARTICLE)]
    category_ids = [c.object_id for c in changes if _is(c, Change.Kind.CATEGORY)]
    articles = {}
    if article_ids:
        rows = (
            selectors.visible_articles()
            .filter(pk__in=article_ids)
            .only(*representation.SUMMARY_COLUMNS)
        )
        summaries = representation.article_summaries(list(rows), request=request)
        articles = {summary["id"]: summary for summary in summaries}
    categories = {}
    if category_ids:
        counts = selectors.category_article_counts()
        for category in selectors.visible_categories().filter(pk__in=category_ids):
            categories[category.pk] = representation.category_data(
                category, request=request, article_count=counts.get(category.path, 0)
            )
    entries = []
    for change in changes:
        shown = (articles if change.kind == Change.Kind.ARTICLE else categories).get(
            change.object_id
        )
        entry = {
            "id": change.object_id,
            "kind": change.kind,
            "action": Change.Action.UPSERT if shown else Change.Action.DELETE,
            "at": representation.site_time(change.at),
        }
        if shown:
            entry[change.kind] = shown
        else:
            entry["slug"] = change.slug
        entries.append(entry)
    return entries


def _is(change: Change, kind: str) -> bool:
    return change.kind == kind and change.action == Change.Action.UPSERT
