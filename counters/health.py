"""The counting buffer's part of ``/readyz/``: is the flusher keeping up?"""

import time

import redis
from django.conf import settings
from django.db import DatabaseError

from counters import buffer
from counters.models import QuarantinedCount


def buffer_state() -> dict:
    """``{"status", "oldest_seconds", "buckets", "quarantined"}``: ``behind``
    when the oldest count not yet flushed to the database is older than
    ``COUNTING_BUFFER_MAX_AGE`` (no flusher running, or one that fails), else
    ``quarantined`` while the flusher has set aside counts it can never apply
    (``QuarantinedCount``: an operator must look at them)."""
    if not buffer.enabled():
        return {"status": "off"}
    try:
        quarantined = QuarantinedCount.objects.count()
    except DatabaseError:
        quarantined = None  # the report's database check says why
    try:
        since, buckets = buffer.oldest()
    except redis.RedisError:
        return {"status": "unknown", "quarantined": quarantined}
    age = 0 if since is None else max(0, int(time.time()) - since)
    status = "ok"
    if age > settings.COUNTING_BUFFER_MAX_AGE:
        status = "behind"
    elif quarantined:
        status = "quarantined"
    return {
        "status": status,
        "oldest_seconds": age,
        "buckets": buckets,
        "quarantined": quarantined,
    }
