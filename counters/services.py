"""The only ways counts change. Every write is atomic (no read-modify-write).

``count_view`` / ``count_visit`` skip visitors that do not count (bots,
editors) and visitors already counted within the dedupe window, then add one
to the all-time count and to the local day's bucket. Without Redis they write
to the database directly (an upsert per row, one transaction); with
``REDIS_URL`` they add to the Redis buffer that ``flush_buffer`` moves to the
database, falling back to the database (and saying so in the log) whenever
Redis cannot be reached.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from wagtail.models import Page, Site

from counters import buffer, selectors
from counters.models import (
    AppliedFlush,
    PageDailyViews,
    PageViewCount,
    SiteDailyVisits,
    SiteVisitCount,
)
from counters.visitors import Visitor

logger = logging.getLogger(__name__)

# One warning per process per interval: a dead Redis must not flood the log.
FALLBACK_WARNING_INTERVAL = 60.0
_last_fallback_warning: float | None = None


@dataclass(frozen=True)
class CountResult:
    count: int
    counted: bool


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
        dedupe_key=f"counters:view:{page.pk}:{visitor.key}",
        window=settings.COUNTING_VIEW_WINDOW,
        buffer_fields=[
            buffer.view_field(page.pk),
            buffer.daily_view_field(page.pk, day),
        ],
        total=(PageViewCount, {"page_id": page.pk}),
        daily=(PageDailyViews, {"page_id": page.pk, "day": day}),
        field="views",
        current=lambda: selectors.view_count(page=page),
    )


def count_visit(
    *, site: Site, visitor: Visitor, now: datetime | None = None
) -> CountResult:
    """Count one visit of ``site`` by ``visitor``, at most once per
    ``COUNTING_VISIT_WINDOW`` seconds."""
    day = timezone.localdate(now or timezone.now())
    return _count(
        visitor=visitor,
        dedupe_key=f"counters:visit:{site.pk}:{visitor.key}",
        window=settings.COUNTING_VISIT_WINDOW,
        buffer_fields=[
            buffer.visit_field(site.pk),
            buffer.daily_visit_field(site.pk, day),
        ],
        total=(SiteVisitCount, {"site_id": site.pk}),
        daily=(SiteDailyVisits, {"site_id": site.pk, "day": day}),
        field="visits",
        current=lambda: selectors.visit_count(site=site),
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
    current: Callable[[], int],
) -> CountResult:
    """The steps a view and a visit share: dedupe, then the Redis buffer or an
    upsert of the all-time row and the day's bucket in one transaction."""
    if not visitor.countable or not _first_time(dedupe_key, window):
        return CountResult(current(), counted=False)
    if _buffered(dict.fromkeys(buffer_fields, 1)):
        return CountResult(current(), counted=True)
    with transaction.atomic():
        count = _increment(*total, field, 1)
        _increment(*daily, field, 1)
    return CountResult(count, counted=True)


def flush_buffer() -> int:
    """Move the Redis buffer to the database; return how many buckets were applied.

    Safe to interrupt at any point and to run again, and safe to run in several
    processes at once (docs/counting.md).
    """
    buffer.rotate()
    current = buffer.current_id()
    applied = 0
    for bucket_id, fields in buffer.snapshot().items():
        if bucket_id == current:
            continue  # still being written (another flush rotated meanwhile)
        if apply_bucket(bucket_id=bucket_id, fields=fields):
            applied += 1
        buffer.retire(bucket_id)
    # Rows older than a day cannot belong to a bucket any flush still holds.
    AppliedFlush.objects.filter(
        applied_at__lt=timezone.now() - timedelta(days=1)
    ).delete()
    return applied


def apply_bucket(*, bucket_id: str, fields: dict[str, int]) -> bool:
    """Add one rotated bucket to the database, once. False if it already was."""
    parsed = buffer.parse(fields)
    try:
        with transaction.atomic():
            AppliedFlush.objects.create(id=bucket_id)
            _apply(parsed)
    except IntegrityError:
        if AppliedFlush.objects.filter(id=bucket_id).exists():
            return False  # applied before: a crash after commit, or another flusher
        raise
    return True


def _apply(parsed: dict[str, dict]) -> None:
    # Counts for pages or sites deleted since would fail the foreign key (at
    # commit on PostgreSQL) and block every later flush: drop them.
    page_ids = {key for key in parsed["views"]} | {
        key for key, _ in parsed["daily_views"]
    }
    pages = set(Page.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
    site_ids = {key for key in parsed["visits"]} | {
        key for key, _ in parsed["daily_visits"]
    }
    sites = set(Site.objects.filter(pk__in=site_ids).values_list("pk", flat=True))
    for page_id, amount in sorted(parsed["views"].items()):
        if page_id in pages:
            _increment(PageViewCount, {"page_id": page_id}, "views", amount)
    for (page_id, day), amount in sorted(parsed["daily_views"].items()):
        if page_id in pages:
            _increment(
                PageDailyViews, {"page_id": page_id, "day": day}, "views", amount
            )
    for site_id, amount in sorted(parsed["visits"].items()):
        if site_id in sites:
            _increment(SiteVisitCount, {"site_id": site_id}, "visits", amount)
    for (site_id, day), amount in sorted(parsed["daily_visits"].items()):
        if site_id in sites:
            _increment(
                SiteDailyVisits, {"site_id": site_id, "day": day}, "visits", amount
            )


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


def _first_time(key: str, window: int) -> bool:
    """True the first time ``key`` is seen within ``window`` seconds, across all
    processes (``cache.add``: ``SET NX EX`` on Redis, an insert on the database
    cache table)."""
    try:
        return caches["default"].add(key, 1, timeout=window)
    except redis.RedisError as error:
        _warn_fallback(error)
        return caches["counting_fallback"].add(key, 1, timeout=window)


def _buffered(fields: dict[str, int]) -> bool:
    """Add to the Redis buffer when Redis is configured and reachable."""
    if not buffer.enabled():
        return False
    try:
        buffer.increment(fields)
    except redis.RedisError as error:
        _warn_fallback(error)
        return False
    return True


def _warn_fallback(error: Exception) -> None:
    global _last_fallback_warning
    if (
        _last_fallback_warning is None
        or time.monotonic() - _last_fallback_warning >= FALLBACK_WARNING_INTERVAL
    ):
        _last_fallback_warning = time.monotonic()
        logger.warning(
            "Redis unreachable (%s): counting in the database instead", error
        )
