"""A real gunicorn serving the project from a throwaway SQLite file, or from a
benchmark dataset.

Used by the multi-process counting test, ``bench/counting.py`` and
``bench/api.py``: ``with served(workers=2) as server: ...`` migrates a fresh
database, creates a category and an article, starts gunicorn on a free loopback
port, waits until it answers, and stops it (and only it) afterwards. With
``dataset=`` (``bench.dataset.ensure``) it serves that database as it is;
``settings=`` names the settings module (the benchmark's mounts more).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MAKE_ARTICLE = """
from datetime import datetime, UTC
from articles.services import ArticleData, get_or_create_category, upsert_article
category = get_or_create_category(name="Tin tức sự kiện")
data = ArticleData(
    key="harness", title="Bài đo tải", published_at=datetime.now(UTC), body=[]
)
print(upsert_article(category=category, data=data)[0].pk)
"""


@dataclass
class Server:
    url: str
    article_id: int | None
    log: Path
    env: dict
    pid: int

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of the master process)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_peak_rss_mb(self) -> float:
        """The largest peak resident set size (VmHWM) among the workers, in MiB."""
        peaks = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)

    def shell(self, code: str) -> str:
        """Run ``code`` in ``manage.py shell`` with the server's settings and
        database (an editor's change made elsewhere: a command, an import);
        what it printed."""
        return manage(self.env, "shell", "-c", code)

    def read_log(self) -> str:
        """gunicorn's access and error log, and what the app wrote to stderr."""
        return self.log.read_text(errors="replace") + (
            self.log.parent / "gunicorn.out"
        ).read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, **kwargs) -> str:
    """``manage.py *args`` in a child process with ``env``; its stdout (raises
    on a non-zero exit)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    ).stdout


@contextmanager
def served(
    *,
    workers: int = 2,
    redis_url: str = "",
    extra_env: dict | None = None,
    dataset: dict | None = None,
    app: str = "cms.wsgi:application",
    settings: str = "cms.settings",
    gunicorn_args: tuple[str, ...] = (),
    port: int | None = None,
    wait_for_database: bool = True,
):
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-served-"))
    port = port or free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "SECRET_KEY": "served-for-tests-only",
        "DEBUG": "0",
        # Tests sign in with passwords; the two-factor tests turn it on.
        "REQUIRE_2FA": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": str(workdir / "media"),
        # Every request comes from one address here: no per-address limit.
        "COUNTING_THROTTLE_RATE": "",
        "LOG_LEVEL": "WARNING",
        **(dataset or {}),
        **(extra_env or {}),
    }
    log = workdir / "gunicorn.log"
    process = None
    try:
        article_id = None
        if dataset is None:
            manage(env, "migrate", "--no-input")
            manage(env, "createcachetable")
            article_id = int(manage(env, "shell", "-c", MAKE_ARTICLE).split()[-1])
        with (workdir / "gunicorn.out").open("w") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    app,
                    "--workers",
                    str(workers),
                    "--bind",
                    f"127.0.0.1:{port}",
                    # Files, not stdout: a logging handler flushes every line.
                    "--access-logfile",
                    str(log),
                    "--error-logfile",
                    str(log),
                    # No shared control socket: several servers may run at once.
                    "--no-control-socket",
                    "--access-logformat",
                    "%(p)s %(m)s %(U)s %(s)s",
                    *gunicorn_args,
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, process, database=wait_for_database)
        yield Server(url=url, article_id=article_id, log=log, env=env, pid=process.pid)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_until_up(
    url: str, process: subprocess.Popen, *, database: bool = True, timeout: float = 30
) -> None:
    """Until /healthz/ says 200 (the app and its database answer), or, without
    ``database``, until the app answers at all (a test of a database down)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited while starting")
        try:
            with urllib.request.urlopen(f"{url}/healthz/", timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError:
            if not database:
                return
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")
