"""Webhooks end to end: real worker processes (``manage.py db_worker``, two
of them), a real receiver answering 500 before 200, signatures checked with
the ``standardwebhooks`` library receivers use."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from harness.server import ROOT, manage, migrated_sqlite
from tests.webhooks.receiver import Receiver, serve
from webhooks.models import new_secret

# Starts worker processes of its own (make test-fast leaves it out).
pytestmark = pytest.mark.slow

EVENTS = "article.published,article.updated,article.unpublished,category.updated"
EDIT = """
from django.db import transaction
from tests.factories import make_article, make_category
from webhooks.models import Delivery
from webhooks.services import _enqueue

category = make_category(title="Tin tức sự kiện")
article = make_article(category=category, title="Tin đầu tiên")
draft = article.get_latest_revision_as_object()
draft.title = "Tin đầu tiên (đã sửa)"
draft.save_revision().publish()
article.refresh_from_db()
article.unpublish()
# Every delivery queued three times more: two workers race for each.
_enqueue(list(Delivery.objects.values_list("pk", flat=True)) * 3)
"""


def tasks_left(database: Path) -> int:
    """Webhook tasks waiting or running, read from the workers' database."""
    with closing(sqlite3.connect(database, timeout=30)) as db:
        (left,) = db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE queue_name = 'webhooks' AND status IN ('READY', 'RUNNING')"
        ).fetchone()
    return left


@pytest.fixture
def receiver():
    receiver = Receiver(fail_first=1)
    server = serve(receiver)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield receiver
    server.shutdown()


def test_each_webhook_arrives_once_signed_after_a_retry(tmp_path, receiver):
    secret = new_secret()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "SECRET_KEY": "webhook-test-only",
        "DEBUG": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WEBHOOK_RETRY_BASE_SECONDS": "0.2",
        "WEBHOOK_TIMEOUT_SECONDS": "5",
        # The receiver listens on loopback, internal by default.
        "WEBHOOK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    migrated_sqlite(tmp_path / "db.sqlite3", env=env)
    added = manage(
        env, "webhooks", "add", receiver.url, "--events", EVENTS, "--secret", secret
    )
    assert receiver.url in added and secret not in added
    listed = manage(env, "webhooks", "list")
    assert receiver.url in listed and "active" in listed and secret not in listed
    manage(env, "shell", "-c", EDIT)
    assert not receiver.received  # nothing is sent in the editor's request

    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--backend",
                "background",
                "--queue-name",
                "webhooks",
                "--interval",
                "0.05",
                "--no-startup-delay",
                "--no-reload",
                "--worker-id",
                f"worker-{n}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in (1, 2)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(receiver.delivered()) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        # Anything sent twice is sent by a task still queued or running: wait
        # until the workers have run them all.
        while tasks_left(tmp_path / "db.sqlite3") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not tasks_left(tmp_path / "db.sqlite3")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)

    delivered = receiver.delivered()
    ids = [r.headers["webhook-id"] for r in delivered]
    assert len(ids) == len(set(ids)) == 4  # each once
    verified = [Webhook(secret).verify(r.body, r.headers) for r in delivered]
    assert sorted(payload["type"] for payload in verified) == sorted(EVENTS.split(","))
    for payload in verified:
        assert set(payload) == {"type", "timestamp", "data"}
    published = next(p for p in verified if p["type"] == "article.published")
    assert published["data"]["article"]["title"] == "Tin đầu tiên"
    updated = next(p for p in verified if p["type"] == "article.updated")
    assert updated["data"]["article"]["title"] == "Tin đầu tiên (đã sửa)"
    unpublished = next(p for p in verified if p["type"] == "article.unpublished")
    assert set(unpublished["data"]) == {"id", "kind", "action", "at", "slug"}
    # Each was refused once (500), then sent again, the same message.
    assert all(count == 2 for count in receiver.attempts_by_message().values())
    for refused in (r for r in receiver.received if r.status == 500):
        again = next(
            r
            for r in delivered
            if r.headers["webhook-id"] == refused.headers["webhook-id"]
        )
        assert json.loads(refused.body) == json.loads(again.body)
    log = manage(
        env,
        "shell",
        "-c",
        "from webhooks.models import Delivery;"
        "print(sorted(Delivery.objects.values_list('status', 'attempts')))",
    )
    assert log.strip().splitlines()[-1] == str([("delivered", 2)] * 4)
