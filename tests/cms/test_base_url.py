"""Links in e-mails go to the address the admin is served on, not localhost:8000."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from harness.server import ROOT


def _base_url(**env) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'cms.settings'; "
        "django.setup(); from django.conf import settings; "
        "print(settings.WAGTAILADMIN_BASE_URL)"
    )
    clean = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", "DEBUG": "1", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_the_default_is_the_development_servers_address():
    assert _base_url() == "http://127.0.0.1:8000"
    assert _base_url(HOST="192.168.1.20", PORT="8123") == "http://192.168.1.20:8123"


def test_a_configured_address_wins():
    configured = _base_url(
        WAGTAILADMIN_BASE_URL="https://tongbientap.example.vn/", PORT="9"
    )
    assert configured == "https://tongbientap.example.vn"


@pytest.mark.django_db
def test_workflow_e_mails_link_to_the_configured_address(
    client, category, django_user_model, settings
):
    from articles.newsroom import EDITORS, WRITERS, setup_newsroom

    settings.WAGTAILADMIN_BASE_URL = "https://tongbientap.example.vn"
    setup_newsroom()
    writer = django_user_model.objects.create_user("pv", "pv@example.com", "x")
    writer.groups.add(Group.objects.get(name=WRITERS))
    editor = django_user_model.objects.create_user("bt", "bt@example.com", "x")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(writer)
    mail.outbox.clear()
    form = nested_form_data(
        {
            "title": "Thông báo lịch tiếp dân",
            "slug": "",
            "excerpt": "",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            "action-submit": "1",
        }
    )
    add = reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", category.pk)
    )
    assert client.post(add, form).status_code == 302
    (to_editor,) = [m for m in mail.outbox if m.to == ["bt@example.com"]]
    assert "https://tongbientap.example.vn/admin/" in to_editor.body
    assert "localhost:8000" not in to_editor.body
