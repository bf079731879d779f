"""Settings come from the environment; production refuses to start unsafely."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

# Starts processes of its own (make test-fast leaves it out).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

PRINT_DB = (
    "import json; from cms import settings as s; "
    "print(json.dumps({k: str(v) for k, v in s.DATABASES['default'].items()"
    " if k in ('ENGINE', 'NAME', 'HOST', 'PORT', 'USER', 'CONN_MAX_AGE')}))"
)


def load_settings(env: dict[str, str], code: str = PRINT_DB):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "REDIS_URL")
        and not k.startswith(("DATABASE_", "SQLITE_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_default_database_is_the_sqlite_file():
    result = load_settings({"DEBUG": "1"})
    db = json.loads(result.stdout)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(ROOT / "db.sqlite3")


def test_database_url_selects_postgresql_with_persistent_connections():
    result = load_settings(
        {
            "DEBUG": "1",
            "DATABASE_URL": "postgres://news:pw@db.internal:5433/newsdesk",
            "DB_CONN_MAX_AGE": "120",
        }
    )
    db = json.loads(result.stdout)
    # Django's backend with a deadline on each round trip (cms.postgresql).
    assert db["ENGINE"] == "cms.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        "5433",
        "newsdesk",
        "news",
    )
    assert db["CONN_MAX_AGE"] == "120"


PRINT_POOLING = (
    "import json; from cms import settings as s; print(json.dumps({"
    "alias: [db.get('HOST'), db.get('PORT'), db['DISABLE_SERVER_SIDE_CURSORS']]"
    " for alias, db in s.DATABASES.items()} | {"
    "'routers': getattr(s, 'DATABASE_ROUTERS', []), 'first': s.MIDDLEWARE[0]}))"
)


@pytest.mark.parametrize(
    ("url", "pooled", "cursors_off"),
    [
        ("postgres://news@db:5432/newsdesk", None, False),
        ("postgres://news@pgbouncer:6432/newsdesk", None, True),
        ("postgres://news@pooler:5432/newsdesk", "1", True),
        ("postgres://news@pgbouncer:6432/newsdesk", "0", False),
    ],
)
def test_a_pooled_url_turns_server_side_cursors_off(url, pooled, cursors_off):
    env = {"DEBUG": "1", "DATABASE_URL": url}
    if pooled is not None:
        env["DATABASE_POOLED"] = pooled
    result = load_settings(env, PRINT_POOLING)
    assert json.loads(result.stdout)["default"][2] is cursors_off


def test_a_replica_url_adds_the_replica_and_its_router():
    result = load_settings(
        {
            "DEBUG": "1",
            "DATABASE_URL": "postgres://news@primary:5432/newsdesk",
            "DATABASE_REPLICA_URL": "postgres://news@replica:5432/newsdesk",
        },
        PRINT_POOLING,
    )
    found = json.loads(result.stdout)
    assert found["replica"][:2] == ["replica", 5432]
    assert found["routers"] == ["cms.replicas.ReplicaRouter"]
    assert found["first"] == "cms.replicas.ReplicaReadsMiddleware"
    without = json.loads(load_settings({"DEBUG": "1"}, PRINT_POOLING).stdout)
    assert "replica" not in without and without["routers"] == []


def test_production_without_secret_key_fails_fast():
    result = load_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_defaults_are_safe():
    code = (
        "from cms import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, "
        "s.CACHES['default']['BACKEND'])"
    )
    result = load_settings({"SECRET_KEY": "x" * 50}, code)
    assert result.stdout.split() == [
        "False",
        "[]",
        "True",
        "django.core.cache.backends.db.DatabaseCache",
    ]


def test_redis_url_selects_the_redis_cache():
    code = "from cms import settings as s; print(s.CACHES['default']['BACKEND'])"
    result = load_settings(
        {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"}, code
    )
    assert result.stdout.strip() == "cms.cache.RedisCache"


@pytest.mark.django_db
def test_no_migrations_are_missing():
    # Exits non-zero (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


PRINT_OFFLINE = (
    "import json; from cms import settings as s; print(json.dumps(["
    "s.WAGTAIL_GRAVATAR_PROVIDER_URL, s.WAGTAIL_ENABLE_UPDATE_CHECK, s.EMAIL_BACKEND]))"
)


def test_gravatar_and_the_update_check_are_off_unless_asked():
    assert json.loads(load_settings({"DEBUG": "1"}, PRINT_OFFLINE).stdout) == [
        None,
        False,
        "django.core.mail.backends.console.EmailBackend",
    ]
    turned_on = load_settings(
        {
            "DEBUG": "1",
            "WAGTAIL_GRAVATAR_PROVIDER_URL": "//avatars.example.vn/avatar",
            "WAGTAIL_ENABLE_UPDATE_CHECK": "lts",
            "EMAIL_URL": "smtp://mail.example.vn:25",
        },
        PRINT_OFFLINE,
    )
    assert json.loads(turned_on.stdout) == [
        "//avatars.example.vn/avatar",
        "lts",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


PRINT_OPTIONS = (
    "import json; from cms import settings as s; "
    "print(json.dumps(s.DATABASES['default']['OPTIONS']))"
)


def test_postgresql_gets_connect_statement_and_lock_timeouts_and_a_deadline():
    url = "postgres://news:pw@db.internal:5433/newsdesk"
    defaults = json.loads(
        load_settings({"DEBUG": "1", "DATABASE_URL": url}, PRINT_OPTIONS).stdout
    )
    assert defaults == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=5000 -c lock_timeout=3000",
        "deadline": 7.0,
    }
    chosen = json.loads(
        load_settings(
            {
                "DEBUG": "1",
                "DATABASE_URL": url,
                "DATABASE_CONNECT_TIMEOUT": "2",
                "DATABASE_STATEMENT_TIMEOUT": "0",
                "DATABASE_LOCK_TIMEOUT": "1.5",
            },
            PRINT_OPTIONS,
        ).stdout
    )
    # No statement timeout: no deadline either (a migration may run long).
    assert chosen == {
        "connect_timeout": 2,
        "options": "-c lock_timeout=1500",
        "deadline": 0.0,
    }


def test_createcachetable_makes_the_database_cache_table_while_redis_is_the_cache(
    tmp_path,
):
    """An install started with Redis can drop it later: counting's dedupe and the
    answer cache then need the table (issue 22: it was never made)."""
    import sqlite3

    database = tmp_path / "db.sqlite3"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        cwd=ROOT,
        env={
            **env,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{database}",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        },
        check=True,
        capture_output=True,
    )

    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "newsdesk_cache" in tables
