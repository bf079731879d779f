"""What ``/readyz/`` reports: the database, Redis, and what apps add.

The project knows Django and Wagtail only, so an app that has something to
report (``counters``: how old the oldest count not yet flushed is) registers
a check from its ``AppConfig.ready``. A check answers a small JSON-able dict
and never raises; none may put hosts, ports or error text in it (the probe
may be reachable from outside).
"""

import logging
from collections.abc import Callable
from functools import lru_cache

import redis
from django.conf import settings
from django.db import connection

from cms import redis_guard

logger = logging.getLogger(__name__)

_checks: dict[str, tuple[Callable[[], dict], bool, bool]] = {}


def register(
    name: str,
    check: Callable[[], dict],
    *,
    needs_redis: bool = False,
    needs_database: bool = False,
) -> None:
    """Add ``check`` to the report as ``name``. ``needs_redis``: the check asks
    Redis, so it is not run (``unknown``) while Redis does not answer the probe's
    ping: a paused Redis costs the probe one timeout, not one per check.
    ``needs_database``: likewise while the database does not answer (a hung
    database is waited for once)."""
    _checks[name] = (check, needs_redis, needs_database)


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure means "not ready"
        logger.warning("Readiness: the database does not answer (%s)", error)
        return "down"
    return "ok"


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=1, socket_timeout=1, retry=redis_guard.no_retry()
    )


def redis_state() -> str:
    """``ok``, ``degraded`` (configured, not answering: the app serves from the
    database) or ``off`` (not configured)."""
    if not settings.REDIS_URL:
        return "off"
    try:
        _redis(settings.REDIS_URL).ping()
    except redis.RedisError as error:
        logger.warning("Readiness: Redis does not answer (%s)", error)
        return "degraded"
    return "ok"


def report() -> tuple[int, dict]:
    """(HTTP status, body): 503 only when the database is down."""
    database = database_state()
    body = {"status": "ok", "database": database, "redis": redis_state()}
    if body["redis"] == "degraded":
        body["status"] = "degraded"
    for name, (check, needs_redis, needs_database) in _checks.items():
        skip = (needs_redis and body["redis"] == "degraded") or (
            needs_database and database != "ok"
        )
        body[name] = {"status": "unknown"} if skip else check()
        if body[name].get("status") not in (None, "ok", "off"):
            body["status"] = "degraded"
    if database != "ok":
        body["status"] = "down"
        return 503, body
    return 200, body
