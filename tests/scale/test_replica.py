"""Read replicas (``DATABASE_REPLICA_URL``) against a real streaming replica:
a primary cluster of the test's own and a ``pg_basebackup`` copy following it
(harness.replica), served by a real gunicorn.

With the replica's replay paused, an article published on the primary is
missing from the public API (it reads the replica) while counting and the
admin see it (they use the primary); once replay resumes, the API shows it.
"""

import subprocess
import sys
import textwrap
import time
from http.cookies import SimpleCookie

import psycopg
import pytest
import requests

from harness.replica import caught_up, replicated_cluster
from harness.server import ROOT, manage, served

pytestmark = pytest.mark.postgres

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
ONLY_ON_PRIMARY = "Bài chỉ có trên máy chủ chính"

PUBLISH = textwrap.dedent(
    f"""
    from datetime import datetime, UTC
    from articles.services import ArticleData, get_or_create_category, upsert_article
    category = get_or_create_category(name="Tin tức sự kiện")
    data = ArticleData(
        key="replica", title="{ONLY_ON_PRIMARY}", published_at=datetime.now(UTC),
        body=[],
    )
    print(upsert_article(category=category, data=data)[0].pk)
    """
)
PREVIEW = textwrap.dedent(
    """
    from django.contrib.auth import get_user_model
    from articles.models import ArticlePage
    from articles.previews import mint_preview_token
    draft = ArticlePage.objects.get(pk={pk})
    draft.title = "Bản nháp chưa đăng"
    print(mint_preview_token(page=draft, user=get_user_model().objects.get()))
    """
)
EDITOR = (
    "from django.contrib.auth import get_user_model; get_user_model().objects."
    "create_superuser('editor', 'editor@example.com', 'pass-word-123')"
)


@pytest.fixture(scope="module")
def replicated_app(request):
    request.getfixturevalue("needs_postgres_binaries")
    with replicated_cluster() as (primary, replica):
        with psycopg.connect(primary, autocommit=True) as connection:
            connection.execute("CREATE DATABASE newsdesk")
        primary_db = primary.rsplit("/", 1)[0] + "/newsdesk"
        replica_db = replica.rsplit("/", 1)[0] + "/newsdesk"
        caught_up(primary_url=primary, replica_url=replica)
        env = {
            "DATABASE_URL": primary_db,
            "DATABASE_REPLICA_URL": replica_db,
            # Every answer built from the database, none kept.
            "API_RESPONSE_CACHE_SECONDS": "0",
            # The admin's pages with static files not collected (no manifest).
            "DEBUG": "1",
        }
        with served(workers=1, extra_env=env) as server:
            manage(server.env, "shell", "-c", EDITOR)
            caught_up(primary_url=primary_db, replica_url=replica_db)
            yield server, primary_db, replica_db


def titles(server) -> list[str]:
    response = requests.get(f"{server.url}/api/v1/articles/", timeout=30)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


def signed_in(server) -> dict[str, str]:
    """The editor's cookies (sent by hand: they are Secure, this is http)."""
    page = requests.get(f"{server.url}/admin/login/", timeout=30)
    cookies = _set(page)
    token = cookies["csrftoken"]  # Django takes the cookie's secret as the token
    response = requests.post(
        f"{server.url}/admin/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "editor",
            "password": "pass-word-123",
        },
        headers={"Cookie": _header(cookies), "Referer": f"{server.url}/admin/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    return {**cookies, **_set(response)}


def _set(response) -> dict[str, str]:
    """The cookies ``response`` sets, Secure ones included."""
    jar = SimpleCookie()
    for header in response.raw.headers.getlist("Set-Cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def _header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def test_the_api_reads_the_replica_while_counting_and_the_admin_use_the_primary(
    replicated_app,
):
    server, primary_db, replica_db = replicated_app
    with psycopg.connect(replica_db, autocommit=True) as replica:
        assert replica.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            article_id = int(manage(server.env, "shell", "-c", PUBLISH).split()[-1])

            # The public API answers from the replica, which has not seen it.
            assert ONLY_ON_PRIMARY not in titles(server)
            detail = requests.get(
                f"{server.url}/api/v1/articles/{article_id}/", timeout=30
            )
            assert detail.status_code == 404, server.read_log()[-3000:]

            # Counting (a write, and the reads it makes) is on the primary.
            counted = requests.post(
                f"{server.url}/api/v1/articles/{article_id}/views/",
                headers={"User-Agent": BROWSER, "X-Visitor-Id": "reader-00001"},
                timeout=30,
            )
            assert counted.status_code == 200
            assert counted.json() == {"view_count": 1, "counted": True}

            # So is the admin, reads included.
            edit = requests.get(
                f"{server.url}/admin/pages/{article_id}/edit/",
                headers={"Cookie": _header(signed_in(server))},
                allow_redirects=False,
                timeout=30,
            )
            assert edit.status_code == 200
            assert ONLY_ON_PRIMARY in edit.text

            # And the preview: its token and the draft are the primary's.
            token = manage(
                server.env, "shell", "-c", PREVIEW.format(pk=article_id)
            ).split()[-1]
            preview = requests.get(
                f"{server.url}/api/v1/preview/", {"token": token}, timeout=30
            )
            assert preview.status_code == 200, preview.text[:500]
            assert preview.json()["title"] == "Bản nháp chưa đăng"
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")

    caught_up(primary_url=primary_db, replica_url=replica_db)
    assert ONLY_ON_PRIMARY in titles(server)
    detail = requests.get(f"{server.url}/api/v1/articles/{article_id}/", timeout=30)
    assert detail.status_code == 200
    assert detail.json()["view_count"] == 1


EDIT_AND_WAIT = textwrap.dedent(
    """
    import sys
    from articles.models import ArticlePage
    page = ArticlePage.objects.get(pk={pk})
    page.title = "{title}"
    page.save_revision().publish()
    print("published", flush=True)
    sys.stdin.readline()  # alive until told: its replay watch runs meanwhile
    """
)


def test_an_answer_kept_from_the_lagging_replica_is_retired_once_it_replays(
    replicated_app,
):
    """Between a publish's commit and the replica's replay, a read builds the
    old answer and keeps it under the new content version; once the replica
    has replayed, the answers are retired again and the next read is new."""
    server, primary_db, replica_db = replicated_app
    env = {**server.env, "API_RESPONSE_CACHE_SECONDS": "300"}
    with served(workers=1, extra_env=env) as kept:
        url = f"{kept.url}/api/v1/articles/{kept.article_id}/"
        before = requests.get(url, timeout=30).json()["title"]
        with psycopg.connect(replica_db, autocommit=True) as replica:
            replica.execute("SELECT pg_wal_replay_pause()")
            editor = subprocess.Popen(
                [sys.executable, "manage.py", "shell", "-c",
                 EDIT_AND_WAIT.format(pk=kept.article_id, title="Tiêu đề đã sửa")],
                cwd=ROOT, env=kept.env, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            try:
                lines = iter(editor.stdout.readline, "")
                assert "published" in (line.strip() for line in lines)
                # Built from the replica, kept under the publish's new version.
                for _ in range(2):
                    assert requests.get(url, timeout=30).json()["title"] == before
            finally:
                replica.execute("SELECT pg_wal_replay_resume()")
            caught_up(primary_url=primary_db, replica_url=replica_db)
            deadline = time.monotonic() + 5
            while requests.get(url, timeout=30).json()["title"] == before:
                assert time.monotonic() < deadline, "the stale answer stayed kept"
                time.sleep(0.1)
            editor.communicate("\n", timeout=30)
    assert editor.returncode == 0
