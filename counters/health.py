"""The counting buffer's part of ``/readyz/``: is the flusher keeping up, and
has it set aside counts it can never apply?"""

import time

import redis
from django.conf import settings

from counters import buffer
from counters.models import QuarantinedCount


def buffer_state() -> dict:
    """``{"status", "oldest_seconds", "buckets"}``: ``behind`` when the oldest
    count not yet flushed to the database is older than
    ``COUNTING_BUFFER_MAX_AGE`` (no flusher running, or one that fails)."""
    if not buffer.enabled():
        return {"status": "off"}
    try:
        since, buckets = buffer.oldest()
    except redis.RedisError:
        return {"status": "unknown"}
    age = 0 if since is None else max(0, int(time.time()) - since)
    return {
        "status": "behind" if age > settings.COUNTING_BUFFER_MAX_AGE else "ok",
        "oldest_seconds": age,
        "buckets": buckets,
    }


def quarantine_state() -> dict:
    """``{"status", "count"}``: ``quarantined`` while the flusher has set aside
    counts the database can never add (``QuarantinedCount``: an operator must
    look at them, ``manage.py flush_counters --quarantined``). Registered to
    run only when the database answers."""
    count = QuarantinedCount.objects.count()
    return {"status": "quarantined" if count else "ok", "count": count}
