"""Counting stays exact under real faults (the pytest share of ``make faults``).

A gunicorn server (2 workers, a throwaway SQLite file, busy timeout 2 s),
distinct visitors POSTing views from 16 threads, and a fault caused for real
mid-load: Redis paused or killed (a redis-server of the test's own, with AOF
as in docker-compose.yml), the flusher SIGKILLed, the gunicorn master HUPed,
the SQLite write lock held past the busy timeout. Every visitor is counted
exactly once: no ``counted: true`` lost or doubled, no first-time visitor
answered ``counted: false`` (harness/faults.py says how each is told).
"""

import json
import threading
import urllib.error
import urllib.request

import pytest

from harness import faults
from harness.redis_child import redis_child
from harness.server import served

# Starts servers of its own (make test-fast leaves it out).
pytestmark = pytest.mark.slow

ENV = {"SQLITE_BUSY_TIMEOUT": str(faults.BUSY_TIMEOUT), "COUNTING_THROTTLE_RATE": ""}
VISITORS = 150


def assert_exact(outcomes):
    for outcome in outcomes:
        row = outcome.row()
        assert row["counted"] + row["counted_before"] == row["sent"], row
        assert (row["refused"], row["other"], row["lost"], row["doubled"]) == (
            0,
            0,
            0,
            0,
        ), row


@pytest.mark.redis
def test_redis_mode_counts_exactly_under_every_fault():
    with (
        redis_child(appendonly=True) as redis_server,
        served(workers=2, redis_url=redis_server.url(), extra_env=ENV) as server,
    ):
        flusher = faults.Flusher(server.env)
        flusher.start()
        try:
            every = faults.redis_faults(server, redis_server, flusher, flusher_kills=3)
            outcomes = faults.run_counting(
                server,
                "redis",
                {name: fault for name, fault in every.items() if name != "none"},
                VISITORS,
                redis_url=redis_server.url(),
            )
        finally:
            flusher.stop()
        log = server.read_log()
    assert_exact(outcomes)
    paused = next(o for o in outcomes if o.fault.startswith("redis paused"))
    hup = next(o for o in outcomes if o.fault.startswith("gunicorn HUP"))
    assert hup.socket_errors == 0 and hup.unavailable == 0
    assert paused.socket_errors == 0
    assert "Traceback" not in log


def test_database_locked_past_the_busy_timeout_is_503_then_counted():
    with served(workers=2, extra_env=ENV) as server:
        url = f"{server.url}/api/v1/articles/{server.article_id}/views/"
        locked = threading.Thread(
            target=faults.hold_sqlite_lock, args=(server, faults.BUSY_TIMEOUT + 3)
        )
        locked.start()
        request = urllib.request.Request(
            url,
            method="POST",
            headers={"User-Agent": faults.BROWSER, "X-Visitor-Id": "reader-locked"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        locked.join()
        answer = refused.value
        assert answer.code == 503
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert int(answer.headers["Retry-After"]) > 0
        assert json.loads(answer.read())["status"] == 503
        # Nothing was marked: the retry counts the visitor (once).
        assert faults.post_view(url, "reader-locked")[:2] == (
            200,
            {"view_count": 1, "counted": True},
        )
        assert faults.post_view(url, "reader-locked")[1]["counted"] is False

        outcomes = faults.run_counting(
            server,
            "database",
            {
                "database locked past the busy timeout": lambda: (
                    faults.hold_sqlite_lock(server, faults.BUSY_TIMEOUT + 1.5)
                ),
                "gunicorn HUP twice": faults.hup(server),
            },
            VISITORS,
        )
    assert_exact(outcomes)
    assert outcomes[0].unavailable > 0  # the lock was felt, and answered 503
    assert outcomes[1].socket_errors == 0 and outcomes[1].unavailable == 0


@pytest.mark.postgres
@pytest.mark.redis
def test_postgresql_hung_locked_or_stopped_loses_and_doubles_nothing():
    """A PostgreSQL cluster of the test's own (harness.faults.run_postgresql):
    hung past the deadline, the counts row locked past the lock timeout,
    stopped; with Redis and a flusher, then without. A visitor answered 503
    retries and is counted once."""
    outcomes = faults.run_postgresql(100, None, ENV)

    assert_exact(outcomes)
    assert {(o.mode, o.fault) for o in outcomes} >= {
        ("pg+redis", f"postgresql hung (SIGSTOP) {faults.PG_HUNG} s"),
        ("pg", f"counts row locked {faults.PG_LOCKED} s"),
        ("pg", f"postgresql stopped {faults.PG_STOPPED} s"),
    }
    by_name = {(o.mode, o.fault): o for o in outcomes}
    # Without Redis the lock and the stop were felt: 503s, then counted.
    assert by_name[("pg", f"counts row locked {faults.PG_LOCKED} s")].unavailable
    assert by_name[("pg", f"postgresql hung (SIGSTOP) {faults.PG_HUNG} s")].unavailable
