"""A real gunicorn serving the project from a throwaway SQLite file, or from a
benchmark dataset.

Used by the multi-process counting test, ``bench/counting.py`` and
``bench/api.py``: ``with served(workers=2) as server: ...`` copies a fresh
database with a category and an article, starts gunicorn on a free loopback
port, waits until it answers, and stops it (and only it) afterwards. With
``dataset=`` (``bench.dataset.ensure``) it serves that database as it is;
``settings=`` names the settings module (the benchmark's mounts more).

Fresh databases are copies of a template migrated once per code state
(:func:`migrated_sqlite`, :func:`migrated_postgres`): migrating took about
24 s a server on the development machine, most of a server test's time.
"""

import fcntl
import hashlib
import os
import shutil
import socket
import sqlite3
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
    own_database = f"sqlite:///{workdir / 'db.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": own_database,
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
        if dataset is None and env["DATABASE_URL"] == own_database:
            made = migrated_sqlite(workdir / "db.sqlite3", env=env, then=MAKE_ARTICLE)
            article_id = int(made.split()[-1])
        elif dataset is None:  # a database the caller made (PostgreSQL): as it is
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


# --- fresh databases from a template migrated once -----------------------------------

TEMPLATES = Path(tempfile.gettempdir()) / "newsdesk-templates"


def migrations_key(*parts: str, root: Path = ROOT) -> str:
    """Names a migrated database: every migration of the project in ``root``,
    its pinned packages (theirs come with them) and ``parts`` (settings, setup
    code)."""
    digest = hashlib.sha256("\0".join((sys.version, *parts)).encode())
    digest.update((root / "requirements.txt").read_bytes())
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def migrated_sqlite(target: Path, *, env: dict, then: str = "") -> str:
    """Make ``target`` a SQLite database migrated as ``env``'s settings say,
    with the cache table, and ``then`` (code for ``manage.py shell``) run on
    it: a copy of a template made so once per code state (with ``then``: from
    a copy of the template without), under a lock (test workers in parallel
    make it once). Returns what ``then`` printed."""
    settings = env.get("DJANGO_SETTINGS_MODULE", "cms.settings")
    template = TEMPLATES / f"{migrations_key(settings, then)}.sqlite3"
    printed = template.with_suffix(".out")
    if not template.exists():
        TEMPLATES.mkdir(exist_ok=True)
        with template.with_suffix(".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not template.exists():
                _make_sqlite_template(template, printed, env=env, then=then)
    shutil.copyfile(template, target)
    return printed.read_text()


def _make_sqlite_template(template: Path, printed: Path, *, env: dict, then: str):
    building = template.with_suffix(f".{os.getpid()}.tmp")
    child = {**env, "DATABASE_URL": f"sqlite:///{building}", "REDIS_URL": ""}
    try:
        if then:  # a copy of the migrated template, then the setup
            migrated_sqlite(building, env=env)
            printed.write_text(manage(child, "shell", "-c", then))
        else:
            manage(child, "migrate", "--no-input")
            manage(child, "createcachetable")
            printed.write_text("")
        # One file to copy: the settings turn WAL on again when it is opened.
        db = sqlite3.connect(building)
        try:
            db.execute("PRAGMA journal_mode=DELETE")
        finally:
            db.close()
        os.replace(building, template)
    finally:
        for leftover in building.parent.glob(building.name + "*"):
            leftover.unlink(missing_ok=True)


def migrated_postgres(database_url: str, *, env: dict) -> None:
    """Drop and create the PostgreSQL database of ``database_url`` as a copy
    (``CREATE DATABASE ... TEMPLATE``) of one migrated once per code state on
    the same server, with the cache table."""
    import psycopg

    base, name = database_url.rsplit("/", 1)
    settings = env.get("DJANGO_SETTINGS_MODULE", "cms.settings")
    template = f"newsdesk_template_{migrations_key(settings)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        # Two makers at once: one waits here for the other's template.
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        try:
            made = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [template]
            ).fetchone()
            if not made:
                building = f"{template}_tmp"
                conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{building}"')
                child = {**env, "DATABASE_URL": f"{base}/{building}"}
                manage(child, "migrate", "--no-input")
                manage(child, "createcachetable")
                conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])
