"""Reading counts: what the database holds plus what the Redis buffer still holds.

A pending bucket is one still in Redis whose id the database has not recorded
as applied. Redis is read first, in one atomic snapshot; then the database in
one statement (one snapshot) that returns both the counts and which of those
buckets are applied. Every increment made before the read is then counted
exactly once, so counts never double or go backwards while a flush runs.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import redis
from django.db import connection
from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page, Site

from cms import redis_guard
from counters import buffer
from counters.models import AppliedFlush, PageDailyViews, PageViewCount, SiteVisitCount

PERIODS = ("day", "week", "month", "all")
# Days (today included) that each period covers, in local time.
PERIOD_DAYS = {"day": 1, "week": 7, "month": 30}


def view_count(*, page: Page, pending: dict | None = None) -> int:
    """All-time views of ``page``, legacy base included (0 when never counted).
    ``pending``: its field of the Redis buffer as already read (a count's
    script reads it), else it is read here."""
    return view_counts(page_ids=[page.pk], pending=pending).get(page.pk, 0)


def view_counts(
    *, page_ids: Iterable[int], pending: dict | None = None
) -> dict[int, int]:
    """All-time views of each page in ``page_ids`` (missing: never counted).

    One Redis round trip (when ``REDIS_URL`` is set; none when ``pending``
    holds what it would read) and one database query, whatever the number of
    pages; none at all for no pages.
    """
    ids = list(page_ids)
    if not ids:
        return {}
    if pending is None:
        pending = _pending([buffer.view_field(pk) for pk in ids])
    stored, applied = _stored_and_applied(PageViewCount, ids, "views", pending)
    for bucket_id, fields in pending.items():
        if bucket_id not in applied:
            for pk, amount in buffer.parse(fields)["views"].items():
                stored[pk] = stored.get(pk, 0) + amount
    return stored


def with_view_counts(pages: QuerySet) -> QuerySet:
    """``pages`` (any Page queryset) annotated with ``view_count``, sortable in SQL.

    Database rows only: with Redis, views not yet flushed are left out (at most
    one flush interval behind); use ``view_counts`` where exact figures matter.
    """
    return pages.annotate(view_count=Coalesce(F("view_count_row__views"), 0))


def visit_count(*, site: Site, pending: dict | None = None) -> int:
    """The site-wide visit counter (0 when never counted); ``pending`` as for
    :func:`view_count`."""
    if pending is None:
        pending = _pending([buffer.visit_field(site.pk)])
    stored, applied = _stored_and_applied(SiteVisitCount, [site.pk], "visits", pending)
    total = stored.get(site.pk, 0)
    for bucket_id, fields in pending.items():
        if bucket_id not in applied:
            total += buffer.parse(fields)["visits"].get(site.pk, 0)
    return total


def period_start(*, period: str, now: datetime | None = None) -> date | None:
    """First local day of ``period`` (``None`` for ``all``)."""
    if period == "all":
        return None
    today = timezone.localdate(now or timezone.now())
    return today - timedelta(days=PERIOD_DAYS[period] - 1)


def most_viewed(
    *,
    period: str,
    limit: int = 10,
    page_ids: QuerySet | Iterable[int] | None = None,
    parent: Page | None = None,
    now: datetime | None = None,
) -> list[tuple[int, int]]:
    """``[(page id, views in period)]``, most viewed first (newer id first on a tie).

    ``day`` is today, ``week`` the last 7 days and ``month`` the last 30 days
    (today included, local time), from the daily buckets; ``all`` is the
    all-time count. Only pages in ``page_ids`` (ids or a queryset of ids) and/or
    below ``parent`` are ranked; pages never viewed in the period are left out.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    start = period_start(period=period, now=now)
    if start is None:
        rows = PageViewCount.objects.all()
    else:
        rows = PageDailyViews.objects.filter(day__gte=start)
    rows = _restrict(rows, page_ids=page_ids, parent=parent)

    pending_totals = _pending_in_period(start)
    if pending_totals:
        allowed = _restrict(
            Page.objects.filter(pk__in=list(pending_totals)).values_list("pk"),
            page_ids=page_ids,
            parent=parent,
            field="pk",
        )
        allowed_ids = set(allowed.values_list("pk", flat=True))
        pending_totals = {
            pk: n for pk, n in pending_totals.items() if pk in allowed_ids
        }

    # Enough stored rows that no page outside them can outrank the cut once
    # the pending counts are added.
    stored = (
        rows.values("page_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-page_id")[: limit + len(pending_totals)]
    )
    totals = {row["page_id"]: row["total"] for row in stored}
    # Every pending page's stored total, even those already in ``stored``: one
    # query either way, so the number of queries does not depend on ``limit``.
    totals.update(_stored_totals(list(pending_totals), start))
    for pk, amount in pending_totals.items():
        totals[pk] = totals.get(pk, 0) + amount
    ranked = sorted(totals.items(), key=lambda item: (-item[1], -item[0]))
    return [(pk, n) for pk, n in ranked if n > 0][:limit]


def _restrict(rows, *, page_ids, parent, field="page_id"):
    if page_ids is not None:
        rows = rows.filter(**{f"{field}__in": page_ids})
    if parent is not None:
        prefix = "" if field == "pk" else "page__"
        rows = rows.filter(
            **{
                f"{prefix}path__startswith": parent.path,
                f"{prefix}depth__gt": parent.depth,
            }
        )
    return rows


def _stored_totals(page_ids: list[int], start: date | None) -> dict[int, int]:
    """Stored views in the period of each page in ``page_ids``, in one query
    (none for no pages), so a ranking costs the same for any ``limit``."""
    if not page_ids:
        return {}
    if start is None:
        rows = PageViewCount.objects.filter(page_id__in=page_ids)
    else:
        rows = PageDailyViews.objects.filter(page_id__in=page_ids, day__gte=start)
    totals = rows.values("page_id").annotate(total=Sum("views")).order_by()
    return {row["page_id"]: row["total"] for row in totals}


def _pending_in_period(start: date | None) -> dict[int, int]:
    """Views per page still pending in Redis within the period."""
    pending = _pending(None)
    if not pending:
        return {}
    applied = set(
        AppliedFlush.objects.filter(id__in=list(pending)).values_list("id", flat=True)
    )
    totals = defaultdict(int)
    for bucket_id, fields in pending.items():
        if bucket_id in applied:
            continue
        parsed = buffer.parse(fields)
        if start is None:
            for pk, amount in parsed["views"].items():
                totals[pk] += amount
        else:
            for (pk, day), amount in parsed["daily_views"].items():
                if day >= start:
                    totals[pk] += amount
    return dict(totals)


def _pending(fields: list[str] | None) -> dict[str, dict[str, int]]:
    """Buckets still in Redis (``{}`` without Redis, or when it is unreachable:
    counting then falls back to the database, so reads do too)."""
    if not buffer.enabled() or not redis_guard.available():
        return {}
    try:
        return buffer.snapshot(fields)
    except redis.RedisError as error:
        redis_guard.failed(error, instead="reading counts from the database alone")
        return {}


def _stored_and_applied(
    model: type[PageViewCount] | type[SiteVisitCount],
    ids: list[int],
    field: str,
    pending: dict,
) -> tuple[dict[int, int], set[str]]:
    """``({pk: count}, {applied bucket ids})`` from ONE statement, so both come
    from the same database snapshot. Written in SQL: the ORM's union took
    longer to build than to run, on every count."""
    quote = connection.ops.quote_name
    key = quote(model._meta.pk.column)
    sql = (
        f"SELECT 'c', CAST({key} AS TEXT), {quote(field)} "
        f"FROM {quote(model._meta.db_table)} "
        f"WHERE {key} IN ({', '.join(['%s'] * len(ids))})"
    )
    params: list = list(ids)
    if pending:
        applied_table = quote(AppliedFlush._meta.db_table)
        sql += (
            f" UNION ALL SELECT 'a', {quote('id')}, 0 FROM {applied_table} "
            f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(pending))})"
        )
        params += list(pending)
    stored, applied = {}, set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, key_value, amount in cursor.fetchall():
            if kind == "c":
                stored[int(key_value)] = amount
            else:
                applied.add(key_value)
    return stored, applied
