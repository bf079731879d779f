"""Several app instances behind the cache tier, sharing one database and one
Redis: the topology of docs/deploy.md, started on loopback ports.

``with cluster(env=..., instances=2) as c:`` enters the optional ``tiers`` in
order (each a function taking the environment so far and returning a context
manager that yields the variables it adds: a Redis of our own, a connection
pooler, a replica, an S3 server), then starts ``instances`` gunicorns
(``harness.server.served``) on that environment, Varnish in front of them
(``harness.varnish``; the apps purge it) and ``flushers`` counting flushers,
and stops all of them, and only them, in reverse order afterwards.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field

from harness.faults import Flusher
from harness.redis_child import redis_child
from harness.server import (
    MAKE_ARTICLE,
    Server,
    free_port,
    manage,
    migrated_postgres,
    served,
)
from harness.varnish import Varnish, varnish_child

Tier = Callable[[dict], AbstractContextManager[dict]]


@contextmanager
def redis_tier(env: dict) -> Iterator[dict]:
    """A redis-server of our own (``harness.redis_child``)."""
    with redis_child() as server:
        yield {"REDIS_URL": server.url()}


@dataclass
class Cluster:
    env: dict
    apps: list[Server]
    varnish: Varnish | None
    flushers: list[Flusher] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where readers come in: Varnish, else the first instance."""
        return self.varnish.url if self.varnish else self.apps[0].url


def fresh_database(database_url: str) -> int:
    """Drop and create the PostgreSQL database of ``database_url``, migrated
    (a copy of a template: ``harness.server.migrated_postgres``), and publish
    one article (``harness.server``'s); its id."""
    env = {**_base_env(), "DATABASE_URL": database_url}
    migrated_postgres(database_url, env=env)
    return int(manage(env, "shell", "-c", MAKE_ARTICLE).split()[-1])


def _base_env() -> dict:
    import os

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "SECRET_KEY": "served-for-tests-only",
        "DEBUG": "0",
        # Tests sign in with passwords; the two-factor tests turn it on.
        "REQUIRE_2FA": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }


@contextmanager
def cluster(
    *,
    env: dict,
    instances: int = 2,
    workers: int = 1,
    flushers: int = 2,
    varnish: bool = True,
    tiers: Sequence[Tier] = (redis_tier,),
    static_bytes: int = 0,
    gunicorn_args: tuple[str, ...] = (),
    app: str = "cms.wsgi:application",
    settings: str = "cms.settings",
) -> Iterator[Cluster]:
    with ExitStack() as stack:
        env = {"COUNTING_THROTTLE_RATE": "", **env}
        for tier in tiers:
            env.update(stack.enter_context(tier(env)))
        varnish_port = free_port() if varnish else None
        if varnish:
            env["VARNISH_PURGE_URLS"] = f"http://127.0.0.1:{varnish_port}/"
        apps = [
            stack.enter_context(
                served(
                    workers=workers,
                    dataset=env,
                    app=app,
                    settings=settings,
                    gunicorn_args=gunicorn_args,
                )
            )
            for _ in range(instances)
        ]
        cache = None
        if varnish:
            cache = stack.enter_context(
                varnish_child(
                    backends=[("127.0.0.1", _port(server)) for server in apps],
                    port=varnish_port,
                    static_bytes=static_bytes,
                )
            )
        running = Cluster(env=apps[0].env, apps=apps, varnish=cache)
        for _ in range(flushers if env.get("REDIS_URL") else 0):
            flusher = Flusher(apps[0].env)
            flusher.start()
            stack.callback(flusher.stop)
            running.flushers.append(flusher)
        yield running


def _port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])
