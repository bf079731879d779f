"""Backup and restore end to end (issue 22.9): a real gunicorn serves a site,
``manage.py backup`` copies it while it serves, ``manage.py restore`` puts the
copy into a fresh database (PostgreSQL, or a new SQLite file) and media
folder, and a real gunicorn on the same address serves the restored copy:
the same API answers (a view still in the Redis buffer included), the same
media. Change-feed cursors given before the restore answer 410; a full sync
works."""

import hashlib
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

from harness.server import ROOT, free_port, manage, served

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
SETUP = """
from tests.factories import make_article, make_category, make_image
category = make_category(title="Thông báo")
image = make_image(title="Ảnh hội nghị", caption="Quang cảnh hội nghị")
title = "Hội nghị chuyên đề"
article = make_article(category=category, title=title, feature_image=image)
print(article.pk)
"""
LATER = """
from articles.models import CategoryPage
from tests.factories import make_article
make_article(category=CategoryPage.objects.get(slug="thong-bao"), title="Tin sau")
"""
ANSWERS = ["/api/v1/articles/", "/api/v1/categories/", "/api/v1/site/"]


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def answers(base: str, article_ids: list[int]) -> dict[str, dict]:
    paths = ANSWERS + [f"/api/v1/articles/{pk}/" for pk in article_ids]
    found = {}
    for path in paths:
        status, body = get(base + path)
        assert status == 200, (path, body)
        found[path] = body
    return found


def count_a_view(base: str, article_id: int) -> None:
    request = urllib.request.Request(
        f"{base}/api/v1/articles/{article_id}/views/",
        method="POST",
        headers={"User-Agent": BROWSER, "X-Visitor-Id": uuid.uuid4().hex},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert json.load(answer)["counted"] is True


def files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def full_sync(base: str) -> set[int]:
    """The articles a client holds after syncing from the start."""
    held, cursor = set(), None
    while True:
        query = "?limit=2" + (f"&since={cursor}" if cursor else "")
        status, body = get(f"{base}/api/v1/changes/{query}")
        assert status == 200, body
        for change in body["changes"]:
            if change["kind"] == "article":
                (held.add if change["action"] == "upsert" else held.discard)(
                    change["id"]
                )
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return held


@pytest.fixture
def databases(request, tmp_path):
    """The source's and the target's DATABASE_URL: two new PostgreSQL
    databases beside the suite's, or two SQLite files."""
    if request.param == "sqlite":
        yield (
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        )
        return
    server, _, name = os.environ["DATABASE_URL"].rpartition("/")
    names = [f"{name}_backup_{uuid.uuid4().hex[:8]}_{n}" for n in ("src", "dst")]
    maintenance = f"{server}/postgres"
    with psycopg.connect(maintenance, autocommit=True) as admin:
        for new in names:
            admin.execute(f'CREATE DATABASE "{new}"')
    try:
        yield tuple(f"{server}/{new}" for new in names)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            for new in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{new}" WITH (FORCE)')


@pytest.mark.parametrize(
    "databases",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_a_restored_backup_serves_the_same_answers(databases, tmp_path):
    source_url, restored_url = databases
    on_postgres = source_url.startswith("postgres")
    # With Redis (the service pass) the view below waits in its buffer:
    # the backup must flush it to be in the copy.
    redis_url = os.environ.get("REDIS_URL", "") if on_postgres else ""
    port = free_port()
    folder = tmp_path / "backup"
    with served(
        workers=1,
        port=port,
        redis_url=redis_url,
        extra_env={"DATABASE_URL": source_url},
    ) as source:
        article_id = int(source.shell(SETUP).split()[-1])
        count_a_view(source.url, article_id)
        before = answers(source.url, [source.article_id, article_id])
        assert before[f"/api/v1/articles/{article_id}/"]["view_count"] == 1
        assert before[f"/api/v1/articles/{article_id}/"]["feature_image"]
        media = files(Path(source.env["MEDIA_ROOT"]))
        assert any(name.startswith("original_images/") for name in media)
        cursor_before_backup = get(f"{source.url}/api/v1/changes/")[1]["next_cursor"]

        made = manage(source.env, "backup", "--to", str(folder))
        assert str(folder / "database.") in made and "media.tar.gz" in made
        checked = manage(source.env, "restore", "--check", str(folder))
        assert "is whole" in checked

        # Changes after the backup: the restore loses them, and the positions
        # they took are given out again.
        source.shell(LATER)
        _, changed = get(f"{source.url}/api/v1/changes/?since={cursor_before_backup}")
        assert [c["article"]["title"] for c in changed["changes"]] == ["Tin sau"]
        cursor_after_backup = changed["next_cursor"]

    restored_media = tmp_path / "restored-media"
    target = {
        **source.env,
        "DATABASE_URL": restored_url,
        "MEDIA_ROOT": str(restored_media),
        "REDIS_URL": "",  # counts come from the database alone
    }
    said = manage(target, "restore", str(folder), "--no-input")
    assert "Epoch renewed" in said
    assert files(restored_media) == media

    dataset = {"DATABASE_URL": restored_url, "MEDIA_ROOT": str(restored_media)}
    with served(workers=1, port=port, dataset=dataset) as restored:
        assert answers(restored.url, [source.article_id, article_id]) == before
        for cursor in (cursor_before_backup, cursor_after_backup):
            status, problem = get(f"{restored.url}/api/v1/changes/?since={cursor}")
            assert status == 410
            assert list(problem["errors"]) == ["since"]
        listed = {a["id"] for a in before["/api/v1/articles/"]["results"]}
        assert full_sync(restored.url) == listed


def test_a_damaged_backup_is_refused_before_anything_is_replaced(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "SECRET_KEY": "backup-test-only",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--no-input")
    manage(env, "backup", "--to", str(tmp_path / "backup"))
    dump = tmp_path / "backup" / "database.sqlite3"
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    live = tmp_path / "db.sqlite3"
    untouched = hashlib.sha256(live.read_bytes()).hexdigest()
    for args in (["--check"], ["--no-input"]):
        failed = subprocess.run(
            [sys.executable, "manage.py", "restore", *args, str(tmp_path / "backup")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert failed.returncode == 1
        assert "is damaged: its SHA-256 differs" in failed.stderr
    assert hashlib.sha256(live.read_bytes()).hexdigest() == untouched
