"""One owner of "what readers see has changed" (``articles.reader_changes``).

Each kind of change an editor makes is turned into one event on commit: the
content version is set once, the stored documents showing what changed are
deleted once, and the change recorder runs once. The counts are pinned here
(they were 4 bumps, 2 deletions and 6 on-commit callbacks for one publish
when two modules listened to Wagtail's signals each on their own).
"""

import ast
import contextlib
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from api import documents, purge
from articles import reader_changes
from articles.changes import record_changes
from articles.models import ArticlePage
from articles.reader_changes import Stage
from tests.factories import make_article, make_category, make_image

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def newsroom(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # as committed
        category = make_category(title="Tin tức sự kiện")
        other_category = make_category(title="Thông báo")
        image = make_image(caption="Quang cảnh hội nghị")
        article = make_article(category=category, title="Hội nghị", feature_image=image)
        article.tags.add("hội nghị")
        article.save_revision().publish()
        article.refresh_from_db()
    return {
        "category": category,
        "other": other_category,
        "article": article,
        "image": image,
        "tag": Tag.objects.get(name="hội nghị"),
    }


@pytest.fixture
def api(db):
    return APIClient()


@pytest.fixture
def tally(monkeypatch, django_capture_on_commit_callbacks):
    """Counts what one change costs, each part still doing its work: content
    version bumps (each sends a purge), calls deleting stored documents, the
    events sent and the callbacks queued on commit (and run, as on a commit)."""
    counts = Counter()

    def counting(name, real):
        def call(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(
        purge, "content_changed", counting("bumps", purge.content_changed)
    )
    monkeypatch.setattr(documents, "forget", counting("deletions", documents.forget))
    events = []

    reader_changes.subscribe("test.tally", events.append, stage=Stage.RETIRE)

    def run(change):
        counts.clear()
        events.clear()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            change()
        return {**counts, "callbacks": len(callbacks), "events": len(events)}

    run.events = events
    yield run
    reader_changes.unsubscribe("test.tally")


def _publish(n):
    article = n["article"]
    article.title = "Hội nghị (sửa)"
    article.save_revision().publish()


def _edit_draft(n):
    article = n["article"]
    article.title = "Bản nháp"
    article.save_revision()


def _unpublish(n):
    n["article"].unpublish()


def _move(n):
    n["article"].move(n["other"], pos="last-child")


def _delete(n):
    ArticlePage.objects.get(pk=n["article"].pk).delete()


def _restrict(n):
    PageViewRestriction.objects.create(
        page=n["category"], restriction_type="password", password="mật-khẩu"
    )


def _rename_category(n):
    category = n["category"]
    category.title = "Tin tức mới"
    category.save_revision().publish()


def _edit_image(n):
    image = n["image"]
    image.caption = "Chú thích mới"
    image.save()


def _edit_tag(n):
    tag = n["tag"]
    tag.name = "hội thảo"
    tag.save()


ONE = {"bumps": 1, "deletions": 1, "callbacks": 1, "events": 1}
# With no deletion: nothing a stored document shows changed.
ONE_NO_DELETION = {"bumps": 1, "callbacks": 1, "events": 1}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_publish, ONE),
        (_edit_draft, {"callbacks": 0, "events": 0}),
        (_unpublish, ONE),
        (_move, ONE),
        # Wagtail unpublishes a page before deleting it: two signals, each
        # queuing a callback; the first sends the one event, the second finds
        # it sent.
        (_delete, {**ONE, "callbacks": 2}),
        (_restrict, ONE_NO_DELETION),
        (_rename_category, ONE),
        (_edit_image, ONE),
        (_edit_tag, ONE),
    ],
    ids=lambda value: getattr(value, "__name__", "").strip("_") or None,
)
def test_one_change_one_event(newsroom, tally, change, expected):
    assert tally(lambda: change(newsroom)) == expected


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_one_module_listens_to_wagtails_page_signals():
    sources = [
        path
        for folder in ("cms", "articles", "counters", "api", "webhooks", "harness")
        for path in (ROOT / folder).rglob("*.py")
    ]
    listening = sorted(
        str(path.relative_to(ROOT))
        for path in sources
        if "wagtail.signals" in _imports(path)
    )
    assert listening == ["articles/reader_changes.py"]


def test_subscribers_in_order():
    # The change log before the documents before the kept answers: a request
    # after the version changed finds both up to date.
    assert [
        name for name in reader_changes.subscribers() if not name.startswith("test.")
    ] == ["articles.changes", "api.documents", "api.answers"]


def test_changes_of_one_transaction_make_one_event(newsroom, tally):
    """A category renamed and an article moved into another in one transaction:
    one event, naming all articles (a category's URL is in theirs)."""

    def both():
        with transaction.atomic():
            _rename_category(newsroom)
            _move(newsroom)

    assert tally(both) == {**ONE, "callbacks": 2}  # the second finds it sent
    (change,) = tally.events
    assert change.kinds == {reader_changes.PUBLISH, reader_changes.MOVE}
    assert change.article_ids is None
    assert change.documents == {reader_changes.ANY_PAGE}
    assert change.page_ids == {newsroom["category"].pk, newsroom["article"].pk}


def test_a_rolled_back_change_sends_nothing(newsroom, tally, api):
    before = api.get("/api/v1/articles/").json()

    def rolled_back():
        with transaction.atomic():
            with contextlib.suppress(RuntimeError), transaction.atomic():
                _unpublish(newsroom)
                raise RuntimeError("the editor's save failed")
            _edit_draft(newsroom)

    assert tally(rolled_back) == {"callbacks": 0, "events": 0}
    assert api.get("/api/v1/articles/").json() == before


def test_what_time_alone_changed_retires_kept_answers(newsroom, tally, api):
    """No signal says an article expired; the scheduler's recording does."""
    assert api.get("/api/v1/articles/").json()["count"] == 1
    ArticlePage.objects.filter(pk=newsroom["article"].pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    assert api.get("/api/v1/articles/").json()["count"] == 1  # kept

    assert tally(record_changes) == {"bumps": 1, "callbacks": 1, "events": 1}
    assert tally.events[0].kinds == {reader_changes.RECORDED}
    assert api.get("/api/v1/articles/").json()["count"] == 0


def test_a_failing_subscriber_leaves_the_others_working(newsroom, tally, api):
    def broken(change):
        raise RuntimeError("subscriber down")

    reader_changes.subscribe("test.broken", broken, stage=Stage.RECORD)
    try:
        assert tally(lambda: _unpublish(newsroom)) == ONE
    finally:
        reader_changes.unsubscribe("test.broken")
    assert api.get("/api/v1/articles/").json()["count"] == 0
