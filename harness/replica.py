"""PostgreSQL clusters of our own: a primary, and a streaming replica of one.

- ``primary_cluster()`` makes a cluster with ``initdb`` in a temporary folder
  and starts it on a loopback port (its ``pg_hba.conf`` trusts local
  replication connections), yielding ``postgres://postgres@127.0.0.1:<port>/postgres``;
- ``streaming_replica(primary_url=...)`` copies a running primary with
  ``pg_basebackup`` (``-R``: it follows the primary by streaming replication)
  and starts the copy on another port, yielding the same URL on that port;
- ``replicated_cluster()`` both, yielding ``(primary_url, replica_url)``.

The primary must accept replication connections from 127.0.0.1 without a
password (a ``host replication ...`` line in its ``pg_hba.conf``) and have
``wal_level`` ``replica`` or ``logical``. A Debian install's own cluster on
5432 has no such line unless an operator adds it (and reloads): use
``replicated_cluster()`` then, which changes nothing outside its folder.

The servers run as the ``postgres`` OS user when we are root (PostgreSQL
refuses root), through ``runuser``; they are stopped (``pg_ctl stop -m
immediate``: nothing of theirs is kept) and their folder removed afterwards.
"""

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from harness.server import free_port

#: Debian's PostgreSQL 15 server binaries (override: ``NEWSDESK_PG_BIN``).
PG_BIN = os.environ.get("NEWSDESK_PG_BIN", "/usr/lib/postgresql/15/bin")

#: Settings of a throwaway cluster: small, fast, nothing durable.
_SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c shared_buffers=32MB -c max_connections=60 "
    "-c wal_level=replica -c max_wal_senders=4 -c hot_standby=on "
    "-c hot_standby_feedback=on"
)


def _as_postgres(args: list[str]) -> list[str]:
    """``args`` run as the postgres OS user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str]) -> None:
    done = subprocess.run(_as_postgres(args), capture_output=True, text=True)
    if done.returncode:
        # pg_basebackup against a primary without a replication line in its
        # pg_hba.conf says so here ("no pg_hba.conf entry for replication").
        raise RuntimeError(
            f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr[-2000:]}"
        )


def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    return folder


def _start(data: Path, *, port: int) -> None:
    _run(
        [
            f"{PG_BIN}/pg_ctl",
            "--pgdata",
            str(data),
            "--log",
            str(data.parent / f"{data.name}.log"),
            "--wait",
            "--timeout",
            "60",
            "-o",
            f"-p {port} -k {data.parent} {_SERVER_OPTIONS}",
            "start",
        ]
    )


def _stop(data: Path) -> None:
    if (data / "postmaster.pid").exists():
        subprocess.run(
            _as_postgres(
                [f"{PG_BIN}/pg_ctl", "--pgdata", str(data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
        )


def _url(port: int, database: str = "postgres") -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{database}"


@contextmanager
def primary_cluster(*, port: int | None = None) -> Iterator[str]:
    port = port or free_port()
    folder = _folder()
    data = folder / "primary"
    try:
        _run(
            [
                f"{PG_BIN}/initdb",
                "--pgdata",
                str(data),
                "--username",
                "postgres",
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C.UTF-8",
            ]
        )
        _start(data, port=port)
        yield _url(port)
    finally:
        _stop(data)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def streaming_replica(
    *, port: int | None = None, primary_url: str | None = None
) -> Iterator[str]:
    """A hot standby of ``primary_url`` (default: the local server on 5432),
    yielding the URL of the same database on the replica."""
    primary = urlsplit(primary_url or _url(5432))
    port = port or free_port()
    folder = _folder()
    data = folder / "replica"
    try:
        _run(
            [
                f"{PG_BIN}/pg_basebackup",
                "--host",
                primary.hostname or "127.0.0.1",
                "--port",
                str(primary.port or 5432),
                "--username",
                primary.username or "postgres",
                "--pgdata",
                str(data),
                "--write-recovery-conf",
                "--wal-method",
                "stream",
                "--checkpoint",
                "fast",
                "--no-sync",
            ]
        )
        _start(data, port=port)
        yield _url(port, primary.path.lstrip("/") or "postgres")
    finally:
        _stop(data)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def replicated_cluster(
    *, primary_port: int | None = None, replica_port: int | None = None
) -> Iterator[tuple[str, str]]:
    """A primary of our own and a streaming replica of it."""
    with (
        primary_cluster(port=primary_port) as primary,
        streaming_replica(port=replica_port, primary_url=primary) as replica,
    ):
        yield primary, replica


def caught_up(*, primary_url: str, replica_url: str, timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    with psycopg.connect(primary_url, autocommit=True) as primary:
        target = primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(replica_url, autocommit=True) as replica:
        while time.monotonic() < deadline:
            behind = replica.execute(
                "SELECT coalesce("
                "pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn()) > 0, true)",
                (target,),
            ).fetchone()[0]
            if not behind:
                return
            time.sleep(0.05)
    raise RuntimeError("the replica did not catch up in time")
