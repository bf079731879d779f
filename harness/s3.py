"""A local S3 server of our own (moto's ``moto_server``), for media on S3.

``with moto_server() as endpoint:`` starts ``moto_server`` (``moto[server]``, a
dev dependency) on a free loopback port, or ``port``, waits until it answers
and yields its endpoint URL (``http://127.0.0.1:<port>``); it stops it (and
only it) afterwards. Buckets live in its memory: nothing outlives it.
"""

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.server import free_port


def moto_binary() -> str | None:
    """``moto_server`` beside this Python (the venv), else on PATH."""
    beside = Path(sys.executable).with_name("moto_server")
    return str(beside) if beside.exists() else shutil.which("moto_server")


@contextmanager
def moto_server(*, port: int | None = None) -> Iterator[str]:
    binary = moto_binary()
    if binary is None:
        raise RuntimeError("moto_server not found: pip install 'moto[server]'")
    port = port or free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [binary, "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(endpoint, process, log)
            yield endpoint
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_up(endpoint: str, process: subprocess.Popen, log, timeout=30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"moto_server exited: {log.read().decode()[-2000:]}")
        try:
            # moto's own health route; any HTTP answer means it listens.
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not answer in time")
