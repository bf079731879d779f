"""Redis as an accelerator: noticing it is gone without stalling or flooding.

Everything that can do without Redis (the shared cache, count reads) asks
``available()`` first and reports a ``RedisError`` with ``failed()``. After a
failure the process skips Redis for ``SKIP_SECONDS`` (a circuit breaker: while
Redis is paused each call would otherwise wait out the socket timeout), then
tries again. The warning is logged once per ``WARNING_INTERVAL`` per process,
not once per request.

Clients made here never retry by themselves (``no_retry``): redis-py retries a
timed-out command ten times by default, and a retried write may run twice.
"""

import logging
import threading
import time

from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger("cms.redis")

SKIP_SECONDS = 5.0
WARNING_INTERVAL = 60.0

_lock = threading.Lock()
_skip_until = 0.0
_warned_at: dict[str, float] = {}


def available() -> bool:
    """False for ``SKIP_SECONDS`` after a failure: go straight to the database."""
    return time.monotonic() >= _skip_until


def failed(error: Exception, *, instead: str) -> None:
    """Record a Redis failure: skip Redis for a while, warn at most once per
    interval for each ``instead`` (what the caller does without Redis)."""
    global _skip_until
    now = time.monotonic()
    with _lock:
        _skip_until = now + SKIP_SECONDS
        last = _warned_at.get(instead)
        if last is not None and now - last < WARNING_INTERVAL:
            return
        _warned_at[instead] = now
    logger.warning("Redis unreachable (%s): %s", error, instead)


def answered() -> None:
    """Redis just answered: stop skipping it (a count does not consult the
    breaker, so it is the first to know Redis is back)."""
    global _skip_until
    _skip_until = 0.0


def reset() -> None:
    """Forget past failures and warnings (tests)."""
    global _skip_until
    with _lock:
        _skip_until = 0.0
        _warned_at.clear()


def no_retry() -> Retry:
    return Retry(NoBackoff(), 0)
