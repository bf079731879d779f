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

from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

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
