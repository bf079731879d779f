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
"""

import re

from django.http import HttpRequest
from rest_framework.exceptions import APIException, ValidationError

from api import representation
from articles import selectors
from articles.models import Change

#: Two positions in hexadecimal (at most 60 bits each: within a BigInteger).
CURSOR_PATTERN = r"^([0-9a-f]{1,15}\.[0-9a-f]{1,15})?$"
CURSOR = re.compile(CURSOR_PATTERN.strip("^$"))
INVALID_CURSOR = "Not a cursor this API gave: use next_cursor as it came."
EXPIRED_CURSOR = (
    "Changes this old are no longer kept: sync again from the start (leave "
    "since out), then follow next_cursor."
)


class CursorExpired(APIException):
    """410: deletions after the cursor were dropped (``CHANGES_RETENTION_DAYS``)."""

    status_code = 410
    default_detail = EXPIRED_CURSOR
    parameter = "since"


def encode_cursor(seq: int, *, pruned_through: int) -> str:
    return f"{seq:x}.{pruned_through:x}"


def decode_cursor(cursor: str) -> tuple[int, int]:
    """The position a cursor names and the drop it knew of ((0, 0) for none);
    400 naming ``since`` if it is not a cursor (``CURSOR_PATTERN``, which the
    schema gives too, so every cursor it allows is one)."""
    if not cursor:
        return 0, 0
    if not CURSOR.fullmatch(cursor):
        raise ValidationError({"since": [INVALID_CURSOR]})
    seq, pruned_through = cursor.split(".")
    return int(seq, 16), int(pruned_through, 16)


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
