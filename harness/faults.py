"""Counting and serving under faults: ``make faults`` (``python -m harness.faults``).

Starts a redis-server of its own (AOF, ``appendfsync everysec``, as the compose
file runs it) on a free port, a gunicorn server (``harness.server``: 2 workers,
the project's ``gunicorn.conf.py``, a throwaway SQLite file with a 2 s busy
timeout) and ``flush_counters --every 0.2``, then for each fault drives
distinct visitors' ``POST /api/v1/articles/{id}/views/`` from 16 threads on
loopback while it causes the fault. A visitor answered 503 (or whose
connection broke) retries after ``Retry-After``, as a client should; its
answer is then ``counted`` (this request counted it), ``counted before`` (an
earlier, unanswered attempt did) or, a bug, ``refused`` (``counted: false``
for a visitor never counted). Once the buffer is flushed it compares the
database's count with the answers:

    expected = counted + counted before;  lost = expected - final (if > 0);
    doubled = final - expected (if > 0)

and prints sent / counted / before / 503 / socket errors / final / lost /
doubled per fault. Then the same in database mode (no Redis), and a rolling
restart (``kill -HUP`` of the master) under wrk load on a read.

PostgreSQL (``--databases``, both by default): the same counting on a
cluster of our own (``harness.replica.primary_cluster``), with Redis and a
flusher and without, while the cluster is hung (every process SIGSTOPped
past ``DATABASE_DEADLINE``), the article's counts row is locked from another
connection past ``DATABASE_LOCK_TIMEOUT``, and the cluster is stopped
(connections refused) and started again (``harness.pg_faults``).

Bounded: ``--visitors`` per fault (default 1500), every wait has a deadline.
"""

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

from harness import pg_faults, wrk
from harness.redis_child import RedisChild, redis_child
from harness.replica import primary_cluster
from harness.server import ROOT, served

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
BUSY_TIMEOUT = 2
THREADS = 16
MAX_ATTEMPTS = 40
BUCKETS = "newsdesk:counters:buckets"
# PostgreSQL's faults last longer than the timeout each is about (cms.settings'
# defaults: DATABASE_DEADLINE 7 s, DATABASE_LOCK_TIMEOUT 3 s).
PG_HUNG, PG_LOCKED, PG_STOPPED = 10, 6, 3
# Those defaults, whatever the environment running this says (the test suite
# relaxes the statement timeout for itself).
PG_LIMITS = {
    "DATABASE_CONNECT_TIMEOUT": "3",
    "DATABASE_STATEMENT_TIMEOUT": "5",
    "DATABASE_LOCK_TIMEOUT": "3",
    "DATABASE_DEADLINE": "7",
}


@dataclass
class Outcome:
    fault: str
    mode: str
    sent: int = 0
    answers: Counter = field(default_factory=Counter)
    unavailable: int = 0  # 503 answers (each retried)
    socket_errors: int = 0  # broken or refused connections (each retried)
    final: int = 0

    @property
    def expected(self) -> int:
        return self.answers["counted"] + self.answers["counted before"]

    @property
    def lost(self) -> int:
        return max(0, self.expected - self.final)

    @property
    def doubled(self) -> int:
        return max(0, self.final - self.expected)

    def row(self) -> dict:
        return {
            "fault": self.fault,
            "mode": self.mode,
            "sent": self.sent,
            "counted": self.answers["counted"],
            "counted_before": self.answers["counted before"],
            "refused": self.answers["refused"],
            "other": sum(
                n
                for answer, n in self.answers.items()
                if answer not in ("counted", "counted before", "refused")
            ),
            "503": self.unavailable,
            "socket_errors": self.socket_errors,
            "final": self.final,
            "lost": self.lost,
            "doubled": self.doubled,
        }


class Flusher:
    """``manage.py flush_counters --every`` as a child process we may kill."""

    def __init__(self, env: dict, every: float = 0.2):
        self.env, self.every = env, every
        self.process: subprocess.Popen | None = None

    def start(self, *, wait_for_a_pass: bool = False) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "flush_counters", "--every", str(self.every)]
            + (["--verbosity", "2"] if wait_for_a_pass else []),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE if wait_for_a_pass else subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        if wait_for_a_pass:
            self.process.stdout.readline()  # "Applied N buffered bucket(s)."

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()

    stop = kill


def post_view(url: str, visitor: str) -> tuple[int, dict, float]:
    request = urllib.request.Request(
        url,
        method="POST",
        headers={"User-Agent": BROWSER, "X-Visitor-Id": visitor},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), 0.0
    except urllib.error.HTTPError as error:
        retry_after = float(error.headers.get("Retry-After") or 0)
        error.read()
        return error.code, {}, retry_after


def drive(server, outcome: Outcome, prefix: str, visitors: int, fault) -> None:
    """POST one view per new visitor from ``THREADS`` threads: at least
    ``visitors`` of them, and on until ``fault()`` (run in a thread once a
    quarter of them are sent) has finished, so that the load spans it."""
    url = f"{server.url}/api/v1/articles/{server.article_id}/views/"
    lock = threading.Lock()
    started, finished = threading.Event(), threading.Event()
    sent = 0
    answers = Counter()
    deadline = time.monotonic() + 300

    def next_visitor() -> str | None:
        nonlocal sent
        with lock:
            if sent >= visitors and (fault is None or finished.is_set()):
                return None
            if time.monotonic() > deadline:
                return None
            sent += 1
            if sent == visitors // 4:
                started.set()
            return f"{prefix}-{sent:06}"

    def one(visitor: str) -> str:
        ambiguous = False
        for _ in range(MAX_ATTEMPTS):
            try:
                status, body, retry_after = post_view(url, visitor)
            except OSError:
                with lock:
                    outcome.socket_errors += 1
                ambiguous = True
                time.sleep(0.2)
                continue
            if status == 503:
                with lock:
                    outcome.unavailable += 1
                ambiguous = True
                time.sleep(min(retry_after, 1.0) or 0.2)
                continue
            if status != 200:
                return f"http {status}"
            if body["counted"]:
                return "counted"
            return "counted before" if ambiguous else "refused"
        return "gave up"

    def loop():
        while (visitor := next_visitor()) is not None:
            answer = one(visitor)
            with lock:
                answers[answer] += 1

    def run_fault():
        if started.wait(timeout=120):
            fault()
        finished.set()

    if fault is not None:
        threading.Thread(target=run_fault, daemon=True).start()
    threads = [threading.Thread(target=loop) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.sent = sent
    outcome.answers.update(answers)


def stored_views(server) -> int:
    url = server.env["DATABASE_URL"]
    if url.startswith("postgres"):
        with psycopg.connect(url, autocommit=True) as db:
            row = db.execute(
                "SELECT views FROM counters_pageviewcount WHERE page_id = %s",
                (server.article_id,),
            ).fetchone()
        return row[0] if row else 0
    with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as db:
        row = db.execute(
            "SELECT views FROM counters_pageviewcount WHERE page_id = ?",
            (server.article_id,),
        ).fetchone()
    return row[0] if row else 0


def wait_flushed(redis_url: str, timeout: float = 60) -> None:
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    deadline = time.monotonic() + timeout
    while client.scard(BUCKETS):
        if time.monotonic() > deadline:
            raise RuntimeError("the flusher did not empty the buffer in time")
        time.sleep(0.1)


def hold_sqlite_lock(server, seconds: float) -> None:
    path = server.env["DATABASE_URL"].removeprefix("sqlite:///")
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        time.sleep(seconds)
        db.execute("ROLLBACK")
    finally:
        db.close()


def hup(server, times: int = 2, gap: float = 2.0):
    def fault():
        for _ in range(times):
            os.kill(server.pid, signal.SIGHUP)
            time.sleep(gap)

    return fault


def postgresql_faults(server, url: str) -> dict:
    """The faults of a PostgreSQL cluster of our own (harness.pg_faults), each
    longer than the timeout it is about (cms.settings' defaults)."""

    def hang():
        with pg_faults.hung(url):
            time.sleep(PG_HUNG)

    def lock():
        with pg_faults.row_locked(
            url,
            "SELECT * FROM counters_pageviewcount WHERE page_id = %s FOR UPDATE",
            (server.article_id,),
        ):
            time.sleep(PG_LOCKED)

    def stop():
        with pg_faults.stopped(url):
            time.sleep(PG_STOPPED)

    return {
        "none": None,
        f"postgresql hung (SIGSTOP) {PG_HUNG} s": hang,
        f"counts row locked {PG_LOCKED} s": lock,
        f"postgresql stopped {PG_STOPPED} s": stop,
    }


def redis_faults(
    server, redis_server: RedisChild, flusher: Flusher, *, flusher_kills: int = 8
) -> dict:
    """The faults of Redis mode, by name: each a function run mid-load."""

    def pause():
        redis_server.pause()
        time.sleep(3)
        redis_server.resume()

    def kill():
        redis_server.kill()
        time.sleep(2)
        redis_server.start()

    def kill_flusher():
        for _ in range(flusher_kills):
            flusher.kill()
            flusher.start(wait_for_a_pass=True)
            time.sleep(random.uniform(0, 0.4))  # somewhere in its loop
        flusher.kill()
        flusher.start()

    return {
        "none": None,
        "redis paused 3 s": pause,
        f"flusher SIGKILLed {flusher_kills} times": kill_flusher,
        "gunicorn HUP twice": hup(server),
        "database locked past the busy timeout": lambda: hold_sqlite_lock(
            server, BUSY_TIMEOUT + 1.5
        ),
        "redis killed, back after 2 s (AOF)": kill,
    }


def run_counting(
    server, mode: str, faults: dict, visitors: int, only=None, redis_url=""
) -> list[Outcome]:
    outcomes = []
    for name, fault in faults.items():
        if only and name not in only:
            continue
        outcome = Outcome(fault=name, mode=mode)
        before = stored_views(server) if not redis_url else None
        if redis_url:
            wait_flushed(redis_url)
            before = stored_views(server)
        prefix = f"{mode[:2]}-{len(outcomes)}-{random.randrange(10**6):06}"
        drive(server, outcome, prefix, visitors, fault)
        if redis_url:
            wait_flushed(redis_url)
        outcome.final = stored_views(server) - before
        outcomes.append(outcome)
        print(_format_row(outcome.row()), flush=True)
    return outcomes


RELOAD_SCRIPT = 'wrk.method = "GET"\n'


def rolling_restart_under_load(server, *, seconds: int = 12) -> dict:
    """wrk on the article list for ``seconds`` while the master gets SIGHUP
    at a third and two thirds of the time: socket errors and non-2xx."""
    result = {}

    def run():
        result.update(
            wrk.run(
                f"{server.url}/api/v1/articles/",
                script=RELOAD_SCRIPT,
                seconds=seconds,
                connections=8,
                threads=2,
            )
        )

    thread = threading.Thread(target=run)
    thread.start()
    for _ in range(2):
        time.sleep(seconds / 3)
        os.kill(server.pid, signal.SIGHUP)
    thread.join(timeout=seconds + 90)
    return result


COLUMNS = (
    "mode",
    "fault",
    "sent",
    "counted",
    "counted_before",
    "refused",
    "other",
    "503",
    "socket_errors",
    "final",
    "lost",
    "doubled",
)


def _format_row(row: dict) -> str:
    return " | ".join(str(row[column]) for column in COLUMNS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=1500)
    parser.add_argument("--only", action="append", help="run only this fault")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="comma-separated: sqlite (a file, with its lock), postgresql (a "
        "cluster of our own: hung, row locked, stopped)",
    )
    args = parser.parse_args(argv)
    databases = set(args.databases.split(","))
    env = {"SQLITE_BUSY_TIMEOUT": str(BUSY_TIMEOUT), "COUNTING_THROTTLE_RATE": ""}

    print(" | ".join(COLUMNS), flush=True)
    outcomes = []
    reload = None
    if "postgresql" in databases:
        outcomes += run_postgresql(args.visitors, args.only, env)
    if "sqlite" not in databases:
        return _finish(args, outcomes, reload)
    with (
        redis_child(appendonly=True) as redis_server,
        served(workers=2, redis_url=redis_server.url(), extra_env=env) as server,
    ):
        flusher = Flusher(server.env)
        flusher.start()
        try:
            faults = redis_faults(server, redis_server, flusher)
            outcomes += run_counting(
                server,
                "redis",
                faults,
                args.visitors,
                args.only,
                redis_url=redis_server.url(),
            )
        finally:
            flusher.stop()
    with served(workers=2, extra_env=env) as server:
        faults = {
            "none": None,
            "database locked past the busy timeout": lambda: hold_sqlite_lock(
                server, BUSY_TIMEOUT + 1.5
            ),
            "gunicorn HUP twice": hup(server),
        }
        outcomes += run_counting(server, "database", faults, args.visitors, args.only)
        if not args.only or "wrk reload" in args.only:
            reload = rolling_restart_under_load(server)
            print(
                f"rolling restart (2x HUP) under wrk, GET list, 12 s: "
                f"{reload['requests']} requests, {reload['socket_errors']} socket "
                f"errors, {reload['errors']} non-2xx",
                flush=True,
            )
    return _finish(args, outcomes, reload)


def run_postgresql(visitors: int, only, env: dict) -> list[Outcome]:
    """Counting on a PostgreSQL cluster of our own, with Redis (and a
    flusher) and without, while the cluster hangs, holds a lock, stops."""
    outcomes = []
    with primary_cluster() as url:
        pg_env = {**env, **PG_LIMITS, "DATABASE_URL": url}
        with (
            redis_child(appendonly=True) as redis_server,
            served(workers=2, redis_url=redis_server.url(), extra_env=pg_env) as server,
        ):
            flusher = Flusher(server.env)
            flusher.start()
            try:
                outcomes += run_counting(
                    server,
                    "pg+redis",
                    postgresql_faults(server, url),
                    visitors,
                    only,
                    redis_url=redis_server.url(),
                )
            finally:
                flusher.stop()
        with served(workers=2, extra_env=pg_env) as server:
            outcomes += run_counting(
                server, "pg", postgresql_faults(server, url), visitors, only
            )
    return outcomes


def _finish(args, outcomes: list[Outcome], reload) -> int:
    if args.json:
        args.json.write_text(
            json.dumps(
                {"counting": [o.row() for o in outcomes], "reload": reload}, indent=1
            )
        )
    bad = [o for o in outcomes if o.answers["refused"] or o.doubled]
    bad += [
        o
        for o in outcomes
        if o.lost and not o.fault.startswith("redis killed")  # AOF's bound
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
