"""The only ways counts change. Every write is atomic (no read-modify-write).

``count_view`` / ``count_visit`` skip visitors that do not count (bots,
editors) and visitors already counted within the dedupe window, then add one
to the all-time count and to the local day's bucket, the dedupe mark and the
count always together. With ``REDIS_URL``: one Redis script into the buffer
that ``flush_buffer`` moves to the database. Without it, or when Redis cannot
be reached at all: one database transaction. When the outcome is unknown (a
Redis that stopped answering may still run the script; a database lock held
past the busy timeout) they raise ``CountingUnavailable``: never a count told
twice or a visitor silently taken as already counted. docs/counting.md.
"""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import (
    DataError,
    IntegrityError,
    OperationalError,
    connection,
    models,
    transaction,
)
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from wagtail.models import Page, Site

from cms import redis_guard
from counters import buffer, selectors
from counters.models import (
    AppliedFlush,
    PageDailyViews,
    PageViewCount,
    QuarantinedCount,
    SeenVisitor,
    SiteDailyVisits,
    SiteVisitCount,
)
from counters.visitors import Visitor

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait when a count could not be made or confirmed.
RETRY_AFTER = 2
# One count in this many also deletes expired dedupe rows from the database.
PRUNE_ONE_IN = 500


@dataclass(frozen=True)
class CountResult:
    count: int
    counted: bool


class CountingUnavailable(Exception):
    """Counting cannot say what happened now: try again in ``retry_after`` s.

    Either nothing was counted (the database lock outlasted the busy timeout),
    or Redis stopped answering after the script was sent, so it may yet run:
    a retry then answers ``counted: false``, never a second count.
    """

    def __init__(self, reason: str, *, retry_after: int = RETRY_AFTER):
        super().__init__(reason)
        self.retry_after = retry_after


def raise_view_count(*, page: Page, at_least: int) -> bool:
    """Make ``page``'s view count at least ``at_least`` (a legacy base); never lower.

    Returns True when the stored count was raised.
    """
    PageViewCount.objects.get_or_create(page_id=page.pk)
    raised = PageViewCount.objects.filter(page_id=page.pk, views__lt=at_least).update(
        views=at_least
    )
    return raised > 0


def raise_visit_count(*, site: Site, at_least: int) -> int:
    """Make ``site``'s visit counter at least ``at_least``; never lower.

    Returns the count now stored.
    """
    SiteVisitCount.objects.get_or_create(site_id=site.pk)
    SiteVisitCount.objects.filter(site_id=site.pk).update(
        visits=Greatest(F("visits"), at_least)
    )
    return SiteVisitCount.objects.values_list("visits", flat=True).get(site_id=site.pk)


def count_view(
    *, page: Page, visitor: Visitor, now: datetime | None = None
) -> CountResult:
    """Count one view of ``page`` by ``visitor``, at most once per
    ``COUNTING_VIEW_WINDOW`` seconds. The caller checks the page may be seen."""
    day = timezone.localdate(now or timezone.now())
    return _count(
        visitor=visitor,
        dedupe_key=f"seen:view:{page.pk}:{visitor.key}",
        window=settings.COUNTING_VIEW_WINDOW,
        buffer_fields=[
            buffer.view_field(page.pk),
            buffer.daily_view_field(page.pk, day),
        ],
        total=(PageViewCount, {"page_id": page.pk}),
        daily=(PageDailyViews, {"page_id": page.pk, "day": day}),
        field="views",
        current=lambda pending=None: selectors.view_count(page=page, pending=pending),
    )


def count_visit(
    *, site: Site, visitor: Visitor, now: datetime | None = None
) -> CountResult:
    """Count one visit of ``site`` by ``visitor``, at most once per
    ``COUNTING_VISIT_WINDOW`` seconds."""
    day = timezone.localdate(now or timezone.now())
    return _count(
        visitor=visitor,
        dedupe_key=f"seen:visit:{site.pk}:{visitor.key}",
        window=settings.COUNTING_VISIT_WINDOW,
        buffer_fields=[
            buffer.visit_field(site.pk),
            buffer.daily_visit_field(site.pk, day),
        ],
        total=(SiteVisitCount, {"site_id": site.pk}),
        daily=(SiteDailyVisits, {"site_id": site.pk, "day": day}),
        field="visits",
        current=lambda pending=None: selectors.visit_count(site=site, pending=pending),
    )


def _count(
    *,
    visitor: Visitor,
    dedupe_key: str,
    window: int,
    buffer_fields: list[str],
    total: tuple[type[models.Model], dict[str, object]],
    daily: tuple[type[models.Model], dict[str, object]],
    field: str,
    current: Callable[..., int],
) -> CountResult:
    """The steps a view and a visit share: the dedupe mark and the increments
    of the all-time row and the day's bucket, together, in Redis or else in
    one database transaction."""
    if not visitor.countable:
        return CountResult(current(), counted=False)
    if buffer.enabled():
        try:
            counted, pending = buffer.count_once(
                dedupe_key=dedupe_key,
                window=window,
                fields=dict.fromkeys(buffer_fields, 1),
                read=buffer_fields[0],
            )
        except buffer.Unsent as error:
            # Nothing reached Redis: the database may count instead.
            redis_guard.failed(error, instead="counting in the database")
        except redis.RedisError as error:
            # Sent, unanswered: the script may still run when Redis resumes.
            redis_guard.failed(error, instead="counts answered 503 (sent, no answer)")
            raise CountingUnavailable(f"Redis did not answer: {error}") from error
        else:
            redis_guard.answered()
            # The total from the buffer as the script read it, and the database.
            return CountResult(current(pending), counted=counted)
    try:
        with transaction.atomic():
            if not _first_time_in_database(dedupe_key, window):
                counted, count = False, None
            else:
                counted = True
                count = _increment(*total, field, 1)
                _increment(*daily, field, 1)
    except OperationalError as error:
        # A lock held past the busy timeout, a statement timeout, a lost
        # connection: rolled back, dedupe mark included. Say so.
        logger.warning("Counting in the database failed (%s): 503", error)
        raise CountingUnavailable(f"database: {error}") from error
    except DataError as error:
        # The total would pass the 64-bit column (a corrupt legacy base): no
        # retry can ever add it. Not counted, said in the log, never a 500.
        logger.error("Counting: %s cannot be added (%s)", dedupe_key, error)
        return CountResult(current(), counted=False)
    if random.randrange(PRUNE_ONE_IN) == 0:
        _prune_seen()
    return CountResult(current() if count is None else count, counted=counted)


def flush_buffer() -> int:
    """Move the Redis buffer to the database; return how many buckets were applied.

    Safe to interrupt at any point and to run again, and safe to run in several
    processes at once (docs/counting.md).
    """
    buffer.rotate()
    applied = 0
    # Without the bucket current at the snapshot itself: read apart, another
    # flush could rotate between the two reads, and the bucket then being
    # written would be applied, retired and written again (those counts lost
    # when the next flush finds its id applied).
    for bucket_id, fields in buffer.snapshot(frozen=True).items():
        if apply_bucket(bucket_id=bucket_id, fields=fields):
            applied += 1
        buffer.retire(bucket_id)
    # Rows older than a day cannot belong to a bucket any flush still holds.
    AppliedFlush.objects.filter(
        applied_at__lt=timezone.now() - timedelta(days=1)
    ).delete()
    return applied


def apply_bucket(*, bucket_id: str, fields: dict[str, int]) -> bool:
    """Add one rotated bucket to the database, once. False if it already was.

    An entry the database can never take (its total would pass the 64-bit
    column: ``DataError``) would fail the bucket on every flush and keep every
    count in Redis; the bucket is then applied again entry by entry, and such
    an entry is quarantined (:func:`_apply_quarantining`) instead.
    """
    entries = _entries(buffer.parse(fields))
    try:
        with transaction.atomic():
            AppliedFlush.objects.create(id=bucket_id)
            for entry in entries:
                entry.apply()
    except IntegrityError:
        if AppliedFlush.objects.filter(id=bucket_id).exists():
            return False  # applied before: a crash after commit, or another flusher
        raise
    except DataError:
        return _apply_quarantining(bucket_id=bucket_id, entries=entries)
    return True


def _apply_quarantining(*, bucket_id: str, entries: list["_Entry"]) -> bool:
    """Apply ``entries`` each in a savepoint of one transaction; those the
    database refuses with ``DataError`` are recorded as ``QuarantinedCount``
    rows and logged. Once: the ``AppliedFlush`` row is in the same transaction.
    """
    quarantined = []
    try:
        with transaction.atomic():
            AppliedFlush.objects.create(id=bucket_id)
            for entry in entries:
                try:
                    with transaction.atomic():
                        entry.apply()
                except DataError as error:
                    quarantined.append(
                        QuarantinedCount(
                            bucket_id=bucket_id,
                            field=entry.field,
                            amount=entry.amount,
                            reason=str(error).strip()[:500],
                        )
                    )
            QuarantinedCount.objects.bulk_create(quarantined)
    except IntegrityError:
        if AppliedFlush.objects.filter(id=bucket_id).exists():
            return False
        raise
    for row in quarantined:
        logger.error(
            "Counting: quarantined %s +%d of bucket %s, which the database "
            "cannot add (%s); the rest of the bucket is applied",
            row.field,
            row.amount,
            bucket_id,
            row.reason,
        )
    return True


@dataclass(frozen=True)
class _Entry:
    """One increment of a bucket: ``amount`` to ``column`` of the row of
    ``model`` named by ``keys``; ``field`` is its name in the buffer."""

    field: str
    model: type[models.Model]
    keys: dict[str, object]
    column: str
    amount: int

    def apply(self) -> None:
        _increment(self.model, self.keys, self.column, self.amount)


def _entries(parsed: dict[str, dict]) -> list[_Entry]:
    """The increments of a parsed bucket, in a fixed order (rows locked in
    the same order by every flusher). Counts for pages or sites deleted since
    would fail the foreign key (at commit on PostgreSQL) and block every
    later flush: they are dropped."""
    page_ids = {key for key in parsed["views"]} | {
        key for key, _ in parsed["daily_views"]
    }
    pages = set(Page.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
    site_ids = {key for key in parsed["visits"]} | {
        key for key, _ in parsed["daily_visits"]
    }
    sites = set(Site.objects.filter(pk__in=site_ids).values_list("pk", flat=True))
    entries = []
    for page_id, amount in sorted(parsed["views"].items()):
        if page_id in pages:
            entries.append(
                _Entry(
                    buffer.view_field(page_id),
                    PageViewCount,
                    {"page_id": page_id},
                    "views",
                    amount,
                )
            )
    for (page_id, day), amount in sorted(parsed["daily_views"].items()):
        if page_id in pages:
            entries.append(
                _Entry(
                    buffer.daily_view_field(page_id, day),
                    PageDailyViews,
                    {"page_id": page_id, "day": day},
                    "views",
                    amount,
                )
            )
    for site_id, amount in sorted(parsed["visits"].items()):
        if site_id in sites:
            entries.append(
                _Entry(
                    buffer.visit_field(site_id),
                    SiteVisitCount,
                    {"site_id": site_id},
                    "visits",
                    amount,
                )
            )
    for (site_id, day), amount in sorted(parsed["daily_visits"].items()):
        if site_id in sites:
            entries.append(
                _Entry(
                    buffer.daily_visit_field(site_id, day),
                    SiteDailyVisits,
                    {"site_id": site_id, "day": day},
                    "visits",
                    amount,
                )
            )
    return entries


def _increment(
    model: type[models.Model], keys: dict[str, object], field: str, amount: int
) -> int:
    """Add ``amount`` to ``field`` of the row identified by ``keys`` (its primary
    key or unique constraint), creating it; return the new value.

    One ``INSERT ... ON CONFLICT DO UPDATE`` (PostgreSQL, SQLite 3.35+): atomic
    in a single statement, no read-modify-write and no retry on a race to create.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(model._meta.get_field(name).column) for name in keys]
    target = quote(model._meta.get_field(field).column)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, {target}) "
        f"VALUES ({', '.join(['%s'] * (len(columns) + 1))}) "
        f"ON CONFLICT ({', '.join(columns)}) "
        f"DO UPDATE SET {target} = {table}.{target} + EXCLUDED.{target} "
        f"RETURNING {target}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys.values(), amount])
        return cursor.fetchone()[0]


def _first_time_in_database(key: str, window: int) -> bool:
    """True the first time ``key`` is seen within ``window`` seconds, across all
    processes: one upsert that takes the key when it is absent or expired.
    Call it inside the transaction that counts."""
    now = int(time.time())
    quote = connection.ops.quote_name
    table, key_column, expires = (
        quote(SeenVisitor._meta.db_table),
        quote("key"),
        quote("expires"),
    )
    sql = (
        f"INSERT INTO {table} ({key_column}, {expires}) VALUES (%s, %s) "
        f"ON CONFLICT ({key_column}) DO UPDATE SET {expires} = EXCLUDED.{expires} "
        f"WHERE {table}.{expires} <= %s RETURNING {key_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, now + window, now])
        return cursor.fetchone() is not None


def _prune_seen() -> None:
    """Forget dedupe marks past their window (now and then, not every count)."""
    try:
        SeenVisitor.objects.filter(expires__lte=int(time.time())).delete()
    except OperationalError as error:
        logger.info("Pruning counted visitors postponed (%s)", error)
