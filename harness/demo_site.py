"""The demo site as ``make run`` serves it (the reader at ``/``, the admin, the
API), behind a real gunicorn on a free port, from a throwaway SQLite file.

Used by the reader's browser tests (``tests/browser``) and its audit
(``bench/reader_audit.py``): ``with demo_site() as site: ...`` copies a freshly
migrated database, loads the demo content, adds an editor login and one saved draft,
points ``FRONTEND_PREVIEW_URL`` at the reader's own preview route, serves it
(``harness.server.served``) and removes it all afterwards.
"""

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.server import free_port, manage, migrated_sqlite, served

EDITOR = ("bientap", "mat-khau-bien-tap-123")
DRAFT_TITLE = "Bản nháp: Thông báo lịch trực Tết Nguyên đán"

SETUP = """
import json
from django.contrib.auth import get_user_model
from articles.models import ArticlePage
get_user_model().objects.create_superuser({username!r}, password={password!r})
seed = ArticlePage.objects.get(slug__startswith="hoi-nghi-chuyen-de")
draft = ArticlePage.objects.exclude(pk=seed.pk).get(slug__startswith="thong-bao-nghi")
draft.title = {draft_title!r}
draft.save_revision()
print(json.dumps({{"seed": seed.slug, "draft": draft.pk}}))
"""


@dataclass
class DemoSite:
    url: str
    #: The seed article's slug (the old portal's page, "Quang cảnh hội nghị").
    seed_slug: str
    #: An article with a saved, unpublished draft titled DRAFT_TITLE.
    draft_id: int
    #: The environment of the site's ``manage.py`` (``harness.server.manage``),
    #: for a test that adds content of its own.
    env: dict | None = None


@contextmanager
def demo_site(*, workers: int = 2):
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-demo-"))
    port = free_port()
    site_env = {
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        # As make run: DEBUG serves media and the admin's static files.
        "DEBUG": "1",
        # Signs in with a password (the two-factor tests turn it on).
        "REQUIRE_2FA": "0",
        "FRONTEND_PREVIEW_URL": f"http://127.0.0.1:{port}/preview?token={{token}}",
    }
    env = {
        **os.environ,
        **site_env,
        "REDIS_URL": "",
        "SECRET_KEY": "served-for-tests-only",
    }
    try:
        migrated_sqlite(workdir / "db.sqlite3", env=env)
        manage(env, "load_demo")
        setup = SETUP.format(
            username=EDITOR[0], password=EDITOR[1], draft_title=DRAFT_TITLE
        )
        made = json.loads(manage(env, "shell", "-c", setup).strip().splitlines()[-1])
        with served(workers=workers, port=port, dataset=site_env) as server:
            yield DemoSite(
                url=server.url,
                seed_slug=made["seed"],
                draft_id=made["draft"],
                env=env,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
