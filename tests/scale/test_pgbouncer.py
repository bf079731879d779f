"""PgBouncer in transaction pooling (``DATABASE_POOLED``) with a real
``pgbouncer``: however many clients connect, PostgreSQL sees at most the pool's
server connections, and the app works through it (migrations, reads, counting).
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest
import requests
from django.conf import settings

from harness.pgbouncer import pgbouncer
from harness.server import served

pytestmark = pytest.mark.postgres

POOL = 4
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


def server_url(database: str = "postgres") -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{database}"


@contextmanager
def fresh_database(name: str):
    with psycopg.connect(server_url(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url(name)
    finally:
        with psycopg.connect(server_url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server_connections(database: str):
    """The most client backends PostgreSQL had on ``database`` meanwhile."""
    seen = [0]
    done = threading.Event()

    def sample():
        with psycopg.connect(server_url(), autocommit=True) as watcher:
            while not done.is_set():
                count = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend'",
                    (database,),
                ).fetchone()[0]
                seen[0] = max(seen[0], count)
                time.sleep(0.01)

    watcher = threading.Thread(target=sample)
    watcher.start()
    try:
        yield seen
    finally:
        done.set()
        watcher.join()


@pytest.fixture
def database_name():
    return settings.DATABASES["default"]["NAME"] + "_pooled"


def test_many_clients_share_a_bounded_number_of_server_connections(
    needs_pgbouncer, database_name
):
    with (
        fresh_database(database_name) as direct,
        pgbouncer(database_url=direct, pool_size=POOL) as pooled,
    ):
        clients = [psycopg.connect(pooled, autocommit=True) for _ in range(60)]
        try:
            with server_connections(database_name) as seen:

                def work(client):
                    for _ in range(5):
                        with client.transaction():
                            client.execute("SELECT pg_sleep(0.01)")
                    return client.execute("SELECT 1").fetchone()[0]

                with ThreadPoolExecutor(max_workers=60) as pool:
                    assert list(pool.map(work, clients)) == [1] * 60
            assert all(not client.closed for client in clients)
            assert 1 <= seen[0] <= POOL
        finally:
            for client in clients:
                client.close()


def test_the_app_serves_through_pgbouncer_with_bounded_server_connections(
    needs_pgbouncer, database_name
):
    with (
        fresh_database(database_name) as direct,
        pgbouncer(database_url=direct, pool_size=POOL) as pooled,
    ):
        env = {
            "DATABASE_URL": pooled,
            "DATABASE_POOLED": "1",
            # 2 workers x 8 threads: up to 16 app connections to the pooler.
            "GUNICORN_THREADS": "8",
            "API_RESPONSE_CACHE_SECONDS": "0",
        }
        # Migrations, the cache table and an article, through the pooler too.
        with served(workers=2, extra_env=env) as server:
            article = f"{server.url}/api/v1/articles/{server.article_id}/"

            def reader(n: int) -> list[int]:
                statuses = []
                for i in range(6):
                    if i % 3 == 2:
                        response = requests.post(
                            f"{article}views/",
                            headers={
                                "User-Agent": BROWSER,
                                "X-Visitor-Id": f"reader-{n:03}-{i}",
                            },
                            timeout=60,
                        )
                    else:
                        path = "articles/" if i % 3 == 0 else ""
                        response = requests.get(
                            f"{server.url}/api/v1/{path}" if path else article,
                            timeout=60,
                        )
                    statuses.append(response.status_code)
                return statuses

            with (
                server_connections(database_name) as seen,
                ThreadPoolExecutor(max_workers=32) as pool,
            ):
                statuses = [s for batch in pool.map(reader, range(32)) for s in batch]
            assert set(statuses) == {200}
            assert 1 <= seen[0] <= POOL
            # Every view counted once, none lost between pooled connections.
            count = requests.get(article, timeout=60).json()["view_count"]
            assert count == 32 * 2
            log = server.read_log()
            assert "Traceback" not in log
