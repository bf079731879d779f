"""Fixtures for the API tests: the demo content and a JSON client."""

import pytest
from rest_framework.test import APIClient

from articles.demo import load_demo
from articles.models import ArticlePage

SEED_TITLE_START = "Hội nghị chuyên đề"


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
