"""A PgBouncer of our own in transaction pooling, in front of a PostgreSQL.

``with pgbouncer(database_url=...) as url:`` writes a configuration into a
temporary folder, starts ``pgbouncer`` (Debian's package) on a free loopback
port, or ``port``, and yields ``database_url`` with its host and port replaced
by PgBouncer's: the same database, user and options, through the pooler. At
most ``pool_size`` server connections per database and user, however many
clients connect. It is stopped (and only it) afterwards.

Authentication is ``auth_type = any`` and every server connection logs in as
the URL's user: fit for a loopback PostgreSQL trusting local connections (the
tests', the benchmarks'), not for a deploy (docs/deploy.md).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness.server import free_port

_CONFIG = """\
[databases]
* = host={host} port={server_port} user={user}{password}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = {pool_size}
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 2000
max_db_connections = {pool_size}
server_lifetime = 3600
server_idle_timeout = 60
ignore_startup_parameters = extra_float_digits,options
logfile = {folder}/pgbouncer.log
pidfile = {folder}/pgbouncer.pid
"""


@contextmanager
def pgbouncer(
    *, database_url: str, port: int | None = None, pool_size: int = 10
) -> Iterator[str]:
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        raise RuntimeError("pgbouncer not found: apt-get install pgbouncer")
    server = urlsplit(database_url)
    port = port or free_port()
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-pgbouncer-"))
    config = folder / "pgbouncer.ini"
    config.write_text(
        _CONFIG.format(
            host=server.hostname or "127.0.0.1",
            server_port=server.port or 5432,
            user=server.username or "postgres",
            password=f" password={server.password}" if server.password else "",
            port=port,
            pool_size=pool_size,
            folder=folder,
        )
    )
    args = [binary, str(config)]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root.
        shutil.chown(folder, "postgres", "postgres")
        args = ["runuser", "-u", "postgres", "--", *args]
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_listening(port, process, folder / "pgbouncer.log")
        netloc = server.netloc.rsplit("@", 1)
        credentials = f"{netloc[0]}@" if len(netloc) == 2 else ""
        yield urlunsplit(server._replace(netloc=f"{credentials}127.0.0.1:{port}"))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_listening(
    port: int, process: subprocess.Popen, log: Path, timeout: float = 20
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"pgbouncer exited: {text[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("pgbouncer did not listen in time")
