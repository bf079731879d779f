"""A deadline on a round trip to the database, kept by one watchdog thread.

PostgreSQL's own ``statement_timeout`` and ``lock_timeout`` end a query the
server is running; libpq's ``connect_timeout`` ends a connection attempt. None
of them helps when the server does not run at all (stopped, SIGSTOPped, a host
frozen mid-query): its kernel still acknowledges what the client sends, so a
kept connection waits for an answer forever, and with it the request, the
worker thread and every request queued behind it (issue 22: 45 s and more).

Here a thread of each process wakes every ``TICK`` seconds and shuts down the
socket of a round trip that has outlived its deadline: the waiting call then
fails at once as a lost connection (``OperationalError``), which the API
answers with a 503 and ``Retry-After``, and Django opens a new connection for
the next request (``connect_timeout`` bounds that one).
"""

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

TICK = 0.25

_lock = threading.Lock()
_armed: dict[object, tuple[float, int]] = {}
_watchdog: tuple[int, threading.Thread] | None = None  # (pid, thread)
#: Sockets shut down since the process started (the test suite reads it).
shut_down = 0


@contextmanager
def deadline(*, fileno: int, seconds: float) -> Iterator[None]:
    """Run the block with ``fileno`` shut down if it lasts past ``seconds``
    (nothing is armed for ``seconds`` <= 0)."""
    if seconds <= 0 or fileno < 0:
        yield
        return
    token = object()
    with _lock:
        _armed[token] = (time.monotonic() + seconds, fileno)
        _ensure_watchdog()
    try:
        yield
    finally:
        with _lock:
            _armed.pop(token, None)


def _ensure_watchdog() -> None:
    """Start the thread in this process (a gunicorn worker is forked from a
    master whose threads it does not inherit)."""
    global _watchdog
    if _watchdog is None or _watchdog[0] != os.getpid():
        thread = threading.Thread(target=_watch, name="database-deadlines", daemon=True)
        _watchdog = (os.getpid(), thread)
        thread.start()


def _watch() -> None:
    global shut_down
    while True:
        time.sleep(TICK)
        now = time.monotonic()
        with _lock:
            overdue = [
                (token, fileno)
                for token, (expires, fileno) in _armed.items()
                if expires <= now
            ]
            for token, fileno in overdue:
                del _armed[token]
                _shut(fileno)
                shut_down += 1


def _shut(fileno: int) -> None:
    """Shut the socket down for both directions (its descriptor stays the
    driver's to close): a blocked read returns at once."""
    try:
        duplicate = socket.socket(fileno=os.dup(fileno))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()
