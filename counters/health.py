"""The counting buffer's part of ``/readyz/``: is the flusher keeping up?"""

import time

import redis
from django.conf import settings

from counters import buffer


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
