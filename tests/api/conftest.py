"""Fixtures for the API tests: the demo content and a JSON client."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.test import APIClient

from articles.demo import load_demo
from articles.models import ArticlePage

SEED_TITLE_START = "Hội nghị chuyên đề"
SCHEMA_PATH = "/api/v1/schema/?format=json"


@pytest.fixture
def api(db):
    return APIClient()


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    # The search index is written by a task queued on commit.
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(log=lambda *args: None)
    return ArticlePage.objects.order_by("published_at")


@pytest.fixture
def seed(demo):
    return ArticlePage.objects.get(title__startswith=SEED_TITLE_START)


@pytest.fixture
def openapi(demo, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Called as a plain WSGI app, Django would close the test's database
    # connection after each request; Django's own test client prevents it so.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    django_app = get_wsgi_application()

    def app(environ, start_response):
        # Schemathesis asks for gzip but its WSGI transport does not decode it;
        # compression has tests of its own (test_response_cache.py).
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        return django_app(environ, start_response)

    yield schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
