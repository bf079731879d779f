"""Reads of the public API from a read replica (``DATABASE_REPLICA_URL``).

Installed only when a replica is configured (cms/settings.py). A reader's
``GET``/``HEAD`` under ``/api/v1/`` (not the preview) reads from the
``replica`` alias; everything else uses ``default``, the primary: every write,
the counting ``POST``s, the preview, the admin, the reader site, background
commands. Within a replica-read request a read goes to the primary once the
request has written anything or while a transaction is open on the primary,
so a request never misses what it wrote itself. The shared cache table (when
there is no Redis) is always read on the primary: its content version must
not lag behind a publish. What lag means for readers: docs/deploy.md.
"""

import atexit
import logging
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
#: Reader requests: these paths, by GET or HEAD, read from the replica.
READER_PREFIX = "/api/v1/"
#: ... except these, which must see the newest draft or state.
PRIMARY_PREFIXES = ("/api/v1/preview/",)
_READ_METHODS = frozenset({"GET", "HEAD"})

_replica_reads: ContextVar[bool] = ContextVar("newsdesk_replica_reads", default=False)


def reads_from_replica(request) -> bool:
    path = request.path_info
    return (
        request.method in _READ_METHODS
        and path.startswith(READER_PREFIX)
        and not path.startswith(PRIMARY_PREFIXES)
    )


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_reads.set(reads_from_replica(request))
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)


def _on_replica() -> bool:
    return _replica_reads.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block


def read_connection():
    """The connection for a raw SQL read: the one the ORM would read from now
    (the replica inside a reader request, else the default)."""
    return connections[REPLICA if _on_replica() else DEFAULT_DB_ALIAS]


class ReplicaRouter:
    """Reads to ``replica`` inside a reader request (above); else the default."""

    def db_for_read(self, model, **hints):
        if _on_replica() and model._meta.app_label != "django_cache":
            return REPLICA
        # Said, not left to Django: it would follow an instance read on the
        # replica (``hints["instance"]``) back there.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # From here on this request reads what it wrote: on the primary.
        _replica_reads.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read on either may
        # relate to one from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


# --- after the replica has replayed a change ------------------------------------

#: How long :func:`when_replayed` waits for a lagging replica before it calls
#: back anyway (the answers are then retired once more by the cache's expiry).
REPLAY_WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.05

_watch_lock = threading.Lock()
_waiting: dict[Callable[[], None], int] = {}  # callback -> WAL position wanted
_wake = threading.Event()
_watcher: threading.Thread | None = None


def when_replayed(callback: Callable[[], None]) -> None:
    """Call ``callback`` in a background thread once the replica has replayed
    everything the primary has written so far; nothing without a replica.

    An answer built from the replica between a publish's commit and its replay
    shows the old state, yet is kept under the new content version (and by
    the cache tier, purged at the commit): retiring the answers once more
    after the replay drops it. Calls that arrive while one waits coalesce;
    a process that ends waits for what is pending (at most
    :data:`REPLAY_WAIT_SECONDS`)."""
    if REPLICA not in settings.DATABASES:
        return
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        wanted = _position(cursor.fetchone()[0])
    global _watcher
    with _watch_lock:
        _waiting[callback] = max(wanted, _waiting.get(callback, 0))
        if _watcher is None or not _watcher.is_alive():
            _watcher = threading.Thread(
                target=_watch, name="replica-replay", daemon=True
            )
            _watcher.start()
    _wake.set()


def _position(lsn: str) -> int:
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def _replayed(wanted: int) -> bool:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
        replayed = cursor.fetchone()[0]
    # NULL: not a standby (a test mirror, a promoted replica): nothing to wait for.
    return replayed is None or _position(replayed) >= wanted


def _call_back_when_replayed() -> None:
    with _watch_lock:
        waiting = dict(_waiting)
        _waiting.clear()
        _wake.clear()
    if not waiting:
        return
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    try:
        while not _replayed(max(waiting.values())):
            if time.monotonic() > deadline:
                logger.warning("replica still behind after %ss", REPLAY_WAIT_SECONDS)
                break
            time.sleep(_POLL_SECONDS)
    except Exception:  # a replica down: call back now, as after a timeout
        logger.warning("replica's replay position unreadable", exc_info=True)
    try:
        for callback in waiting:
            try:
                callback()
            except Exception:
                logger.exception("after the replica's replay: %r failed", callback)
    finally:
        connections.close_all()  # this thread's own connections


def _watch() -> None:
    while True:
        _wake.wait()
        _call_back_when_replayed()


@atexit.register
def _flush() -> None:
    if _waiting:
        _call_back_when_replayed()
