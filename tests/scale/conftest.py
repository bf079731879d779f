"""The scale-out parts (PgBouncer, a streaming replica, an S3 server) as real
processes of the test's own: ``harness.pgbouncer``, ``harness.replica``,
``harness.s3``."""

import os
import shutil
from pathlib import Path

import pytest

from harness.replica import PG_BIN
from harness.s3 import moto_binary


def require(found, what: str) -> None:
    """Skip without ``what``, unless CI's service pass requires it: then fail."""
    if found:
        return
    message = f"{what} is not installed"
    if os.environ.get("NEWSDESK_REQUIRE_SERVICES") == "1":
        pytest.fail(f"NEWSDESK_REQUIRE_SERVICES=1 but {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def needs_pgbouncer():
    require(shutil.which("pgbouncer"), "pgbouncer (apt-get install pgbouncer)")


@pytest.fixture(scope="session")
def needs_postgres_binaries():
    require(
        (Path(PG_BIN) / "pg_basebackup").exists(),
        f"PostgreSQL's server binaries ({PG_BIN})",
    )


@pytest.fixture(scope="session")
def needs_moto():
    require(moto_binary(), "moto_server (pip install 'moto[server]')")
