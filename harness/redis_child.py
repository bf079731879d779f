"""A throwaway redis-server of our own, for fault tests and ``harness/faults.py``.

``with redis_child() as server:`` starts ``redis-server`` on a free loopback
port (no persistence unless asked, its files in a temporary folder), waits
until it answers, and kills it (and only it) afterwards. ``pause()`` /
``resume()`` send SIGSTOP / SIGCONT, ``kill()`` SIGKILL, ``start()`` starts
it again on the same port (with the same files: AOF, if enabled, reloads).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import redis

from harness.server import free_port


class RedisChild:
    def __init__(self, *, appendonly: bool = False):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="newsdesk-redis-"))
        self.appendonly = appendonly
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "everysec"]
            if self.appendonly
            else ["--appendonly", "no"]
        )
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                *persistence,
                "--dir",
                str(self.dir),
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.BusyLoadingError:
                pass
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)

    def _signal(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, sig)

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def kill(self) -> None:
        if self.process is not None:
            self.resume()
            self._signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def redis_child(*, appendonly: bool = False):
    server = RedisChild(appendonly=appendonly)
    try:
        server.start()
        yield server
    finally:
        server.stop()
