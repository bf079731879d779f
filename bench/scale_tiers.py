"""The tiers ``make scale`` can put around its app instances (``--tiers``).

Each takes the environment so far and is a context manager yielding the
variables it adds (``harness.cluster.Tier``); ``TIERS`` is the order they are
entered in, whatever the order named:

- ``redis``: a redis-server of our own (the shared cache, the counting buffer);
- ``replica``: a PostgreSQL cluster of our own (``harness.replica``; the shared
  5432 cluster takes no replication connections), the dataset copied onto it
  with ``pg_dump``/``pg_restore`` (the dump kept under the temporary folder, by
  dataset and migration count, for the next run), and a streaming replica of
  it: ``DATABASE_URL`` names that primary, ``DATABASE_REPLICA_URL`` the replica;
- ``pgbouncer``: PgBouncer in transaction pooling in front of whichever primary
  is in use by then (hence after ``replica``), at most ``pool_size`` server
  connections; the replica is read directly;
- ``s3``: a moto S3 server, a bucket, the dataset's media files uploaded to it
  (the dataset shares a few dozen files), and the ``AWS_*`` settings: media
  are read from and written to S3 (django-storages).

``SERVER_URL`` names the primary's database without the pooler (for counting
its server connections); ``TIMINGS`` keeps the seconds each tier took to start.
"""

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import psycopg

from harness.cluster import redis_tier
from harness.pgbouncer import pgbouncer
from harness.replica import PG_BIN, caught_up, primary_cluster, streaming_replica
from harness.s3 import moto_server

#: The primary's database, not through the pooler (not read by the app).
SERVER_URL = "BENCH_SERVER_DATABASE_URL"
BUCKET = "newsdesk-scale-media"
DUMPS = Path(tempfile.gettempdir()) / "newsdesk-scale-dumps"
TIMINGS: dict[str, float] = {}
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


def _say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def dumped(database_url: str) -> Path:
    """A custom-format dump of ``database_url``, made once per dataset and
    schema (the count of applied migrations) and kept for later runs."""
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url) as conn:
        migrations = conn.execute("SELECT count(*) FROM django_migrations").fetchone()
    path = DUMPS / f"{name}-{migrations[0]}.dump"
    if not path.exists():
        DUMPS.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        part = path.with_suffix(".part")
        subprocess.run(
            [f"{PG_BIN}/pg_dump", "-Fc", "-Z1", "-f", str(part), database_url],
            check=True,
        )
        part.rename(path)
        TIMINGS["pg_dump"] = round(time.monotonic() - started, 1)
        _say(f"dumped {name} in {TIMINGS['pg_dump']} s: {path}")
    return path


@contextmanager
def replica_tier(env: dict) -> Iterator[dict]:
    source = env["DATABASE_URL"]
    name = source.rsplit("/", 1)[1]
    dump = dumped(source)
    with primary_cluster() as server:
        base = server.rsplit("/", 1)[0]
        started = time.monotonic()
        with psycopg.connect(server, autocommit=True) as conn:
            # Index builds are most of a restore: more memory for them.
            conn.execute("ALTER SYSTEM SET maintenance_work_mem = '256MB'")
            conn.execute("SELECT pg_reload_conf()")
            conn.execute(f'CREATE DATABASE "{name}"')
        subprocess.run(
            [
                f"{PG_BIN}/pg_restore",
                "-j",
                "2",
                "--no-owner",
                "--no-privileges",
                "-d",
                f"{base}/{name}",
                str(dump),
            ],
            check=True,
        )
        with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
            conn.execute("ANALYZE")
        TIMINGS["pg_restore"] = round(time.monotonic() - started, 1)
        _say(f"restored {name} on {base} in {TIMINGS['pg_restore']} s")
        started = time.monotonic()
        with streaming_replica(primary_url=f"{base}/{name}") as replica:
            caught_up(primary_url=f"{base}/{name}", replica_url=replica)
            TIMINGS["pg_basebackup"] = round(time.monotonic() - started, 1)
            _say(f"replica {replica} in {TIMINGS['pg_basebackup']} s")
            yield {
                "DATABASE_URL": f"{base}/{name}",
                SERVER_URL: f"{base}/{name}",
                "DATABASE_REPLICA_URL": replica,
            }


@contextmanager
def pgbouncer_tier(env: dict, *, pool_size: int = 6) -> Iterator[dict]:
    with pgbouncer(database_url=env["DATABASE_URL"], pool_size=pool_size) as url:
        yield {
            "DATABASE_URL": url,
            "DATABASE_POOLED": "1",
            SERVER_URL: env["DATABASE_URL"],
        }


@contextmanager
def s3_tier(env: dict) -> Iterator[dict]:
    import boto3

    with moto_server() as endpoint:
        credentials = {
            "AWS_ACCESS_KEY_ID": "moto-key",
            "AWS_SECRET_ACCESS_KEY": "moto-secret",
        }
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=BUCKET)
        # Readers fetch media by plain URL (AWS_QUERYSTRING_AUTH off), as
        # from a public bucket or a CDN in front of it.
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
        media = Path(env["MEDIA_ROOT"])
        files = [path for path in media.rglob("*") if path.is_file()]
        for path in files:
            client.upload_file(str(path), BUCKET, path.relative_to(media).as_posix())
        _say(f"moto {endpoint}: {len(files)} media files in s3://{BUCKET}")
        yield {
            **credentials,
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
        }


TIERS = {
    "redis": redis_tier,
    "replica": replica_tier,
    "pgbouncer": pgbouncer_tier,
    "s3": s3_tier,
}


def chosen(names: str, *, pool_size: int) -> list:
    """The tiers named (comma-separated), in ``TIERS``'s order."""
    wanted = set(filter(None, names.split(",")))
    unknown = wanted - set(TIERS)
    if unknown:
        raise ValueError(f"unknown tiers: {', '.join(sorted(unknown))}")
    tiers = {**TIERS, "pgbouncer": partial(pgbouncer_tier, pool_size=pool_size)}
    return [tier for name, tier in tiers.items() if name in wanted]


def server_urls(env: dict) -> dict[str, str]:
    """The databases whose server connections to count: the primary (not
    through the pooler) and the replica, if any."""
    urls = {"primary": env.get(SERVER_URL) or env["DATABASE_URL"]}
    if env.get("DATABASE_REPLICA_URL"):
        urls["replica"] = env["DATABASE_REPLICA_URL"]
    return urls
