"""Content-Security-Policy on every answer, by area (cms.csp, django-csp)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part)
    }


def test_api_answers_load_nothing_and_are_never_framed(client, demo_site):
    for _ in range(2):  # built, then served from the answer cache
        response = client.get("/api/v1/articles/")
        assert response.status_code == 200
        assert policy(response) == {
            "default-src": ["'none'"],
            "frame-ancestors": ["'none'"],
        }
    error = client.get("/api/v1/articles/?page=0")
    assert policy(error)["default-src"] == ["'none'"]


def test_swagger_ui_runs_without_inline_script(client, demo_site):
    response = client.get("/api/v1/docs/")
    directives = policy(response)

    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    assert not re.search(r"<script>(?!</script>)", html)  # every script is a file
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_admin_allows_only_its_own_and_inline_code(client):
    response = client.get("/admin/login/")
    directives = policy(response)

    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert "https://www.youtube.com" in directives["frame-src"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_reader_pages_allow_nothing_inline(client, demo_site):
    response = client.get("/")
    directives = policy(response)

    assert directives["default-src"] == ["'self'"]
    assert "script-src" not in directives and "style-src" not in directives
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert directives["object-src"] == ["'none'"]


@pytest.fixture
def demo_site(django_capture_on_commit_callbacks):
    from articles.demo import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        load_demo(log=lambda *args: None)
