"""Faults of a PostgreSQL cluster of our own (``harness.replica.primary_cluster``),
caused for real: never the machine's shared server.

- ``hung(url)``: every process of the cluster SIGSTOPped (the postmaster
  first, so that it forks no new backend), then SIGCONTed: a server whose
  kernel still accepts connections and acknowledges queries, and answers
  nothing;
- ``row_locked(url, sql)``: a transaction of another connection holds the
  row locks ``sql`` takes (``SELECT ... FOR UPDATE``) until the block ends;
- ``stopped(url)``: the cluster shut down ("fast": sessions ended, commits
  kept; then connections are refused), then started again on the same port
  and data.
"""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from harness import replica


def data_directory(url: str) -> Path:
    with psycopg.connect(url, autocommit=True) as connection:
        return Path(connection.execute("SHOW data_directory").fetchone()[0])


def cluster_pids(data: Path) -> list[int]:
    """The postmaster, then its children (backends, checkpointer, ...)."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    children = Path(f"/proc/{postmaster}/task/{postmaster}/children")
    return [postmaster, *map(int, children.read_text().split())]


@contextmanager
def hung(url: str) -> Iterator[None]:
    pids = cluster_pids(data_directory(url))
    stopped = []
    try:
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
            stopped.append(pid)
        yield
    finally:
        for pid in reversed(stopped):
            os.kill(pid, signal.SIGCONT)


@contextmanager
def row_locked(url: str, sql: str, params: tuple = ()) -> Iterator[int]:
    """Yields how many rows are locked."""
    with psycopg.connect(url) as connection:
        locked = len(connection.execute(sql, params).fetchall())
        try:
            yield locked
        finally:
            connection.rollback()


@contextmanager
def stopped(url: str) -> Iterator[None]:
    data = data_directory(url)
    port = urlsplit(url).port
    # "fast", as an operator's stop or a container's SIGTERM: clients are
    # disconnected and what was committed is written. (The cluster runs with
    # synchronous_commit off, so an immediate stop, a crash, would lose the
    # last commits: the fault would be the harness's, not the app's.)
    subprocess.run(
        replica._as_postgres(
            [f"{replica.PG_BIN}/pg_ctl", "--pgdata", str(data), "-m", "fast", "stop"]
        ),
        capture_output=True,
        check=True,
    )
    try:
        yield
    finally:
        replica._start(data, port=port)
        _wait_accepting(url)


def _wait_accepting(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
