"""Fixtures shared by the whole suite."""

import functools
import os
import shutil

import pytest
import redis
from django.db import connection

from tests.factories import make_category

#: Fixtures that start processes (servers, browsers, Redis, PgBouncer, a
#: replica, S3): a test using one is ``slow`` (``make test-fast`` leaves it out).
SLOW_FIXTURES = frozenset(
    {
        "live_site",  # tests/browser: the demo site under gunicorn
        "browser",  # tests/browser: Chromium
        "admin_server",  # tests/browser: make run's steps under runserver
        "own_redis",  # a redis-server of the test's own
        "needs_pgbouncer",  # tests/scale
        "needs_postgres_binaries",
        "needs_moto",
    }
)
#: Markers of tests that start processes themselves.
SLOW_MARKERS = ("varnish",)


def pytest_collection_modifyitems(config, items):
    """Tests that start processes are marked ``slow``: by the fixtures above
    and the markers above here, by ``pytest.mark.slow`` in the modules that
    start servers themselves.

    Service-marked tests run only where that service is configured.

    CI's second pass sets DATABASE_URL and REDIS_URL (and NEWSDESK_REQUIRE_SERVICES)
    so they run there; an unreachable service then fails the run, never skips.
    Varnish-marked tests skip without ``varnishd`` unless services are
    required (CI installs it): then they fail.
    """
    no_varnish = shutil.which("varnishd") is None and (
        os.environ.get("NEWSDESK_REQUIRE_SERVICES") != "1"
    )
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    on_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if SLOW_FIXTURES.intersection(item.fixturenames) or any(
            marker in item.keywords for marker in SLOW_MARKERS
        ):
            item.add_marker(pytest.mark.slow)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://"))
        if "redis" in item.keywords and not on_redis:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL"))
        if "varnish" in item.keywords and no_varnish:
            item.add_marker(pytest.mark.skip(reason="needs varnishd (apt: varnish)"))


@pytest.fixture(autouse=True, scope="session")
def _required_services(request):
    """With NEWSDESK_REQUIRE_SERVICES=1 the run fails unless PostgreSQL and Redis
    answer: CI's service pass must never quietly fall back to SQLite or skip."""
    if os.environ.get("NEWSDESK_REQUIRE_SERVICES") != "1":
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        assert connection.vendor == "postgresql", (
            f"NEWSDESK_REQUIRE_SERVICES=1 but the database is {connection.vendor}"
        )
    redis_url = os.environ.get("REDIS_URL")
    assert redis_url, "NEWSDESK_REQUIRE_SERVICES=1 but REDIS_URL is not set"
    redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the block queued for after the
    commit at its end, as an editor's request does when it commits (a test's
    own transaction never commits): "readers' view changed" among them."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def category(db):
    return make_category(title="Tin tức sự kiện")


@pytest.fixture
def other_category(db):
    return make_category(title="Thông báo")


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@example.com", "pass-word-123"
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def counting_store(db):
    """A clean counting cache and Redis buffer (dedupe keys outlive a test's
    transaction there)."""
    from django.core.cache import caches

    from counters import buffer

    def clean():
        caches["default"].clear()
        if buffer.enabled():
            client = buffer.client()
            keys = list(client.scan_iter(buffer.PREFIX + "*"))
            if keys:
                client.delete(*keys)

    clean()
    yield
    clean()


@pytest.fixture(autouse=True)
def fresh_api_answers(settings):
    """No API answer cached by an earlier test: with Redis the shared cache
    outlives each test's transaction (the database cache table does not)."""
    if settings.REDIS_URL:
        from api.response_cache import new_content_version

        new_content_version()


@pytest.fixture
def own_redis():
    """The settings pointed at a redis-server of this test's own
    (``harness.redis_child``: pause, resume, kill, start it again). Restored
    before the fixtures that clean the suite's Redis run their teardown."""
    from django.test import override_settings

    from cms import redis_guard
    from harness.redis_child import redis_child

    redis_guard.reset()
    with redis_child() as server:
        cache = {
            "BACKEND": "cms.cache.RedisCache",
            "LOCATION": server.url(),
            "KEY_PREFIX": "newsdesk",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        with override_settings(REDIS_URL=server.url(), CACHES={"default": cache}):
            yield server
    redis_guard.reset()
