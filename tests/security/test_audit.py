"""The audit log: sign-ins (with the client address as the lockout reads
it), sign-outs, lockouts, permission changes, settings and webhook changes,
publishing; the admin report with its filters; ``audit_export``; retention."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.log_actions import LogContext
from wagtail.models import ModelLogEntry, PageLogEntry

from harness.server import ROOT
from security.models import SecurityLogEntry
from tests.factories import make_article
from webhooks.models import Endpoint

LOGIN = "/admin/login/"
PASSWORD = "pass-word-123"


def attempt(client, password, *, username="editor", address="203.0.113.7", **extra):
    client.cookies.clear()
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def export(since="2000-01-01") -> list[dict]:
    from io import StringIO

    out = StringIO()
    call_command("audit_export", "--since", since, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_sign_ins_failures_and_sign_outs_with_the_address(client, editor):
    attempt(client, "wrong")
    attempt(client, "wrong", username="nobody")
    attempt(client, PASSWORD)
    client.post("/admin/logout/", REMOTE_ADDR="203.0.113.7")

    rows = [
        (e.action, e.user_id, e.label, e.ip_address)
        for e in SecurityLogEntry.objects.order_by("pk")
    ]
    assert rows == [
        ("newsdesk.sign_in_failed", None, "editor", "203.0.113.7"),
        ("newsdesk.sign_in_failed", None, "nobody", "203.0.113.7"),
        ("newsdesk.sign_in", editor.pk, "editor", "203.0.113.7"),
        ("newsdesk.sign_out", editor.pk, "editor", "203.0.113.7"),
    ]
    # The failure names the account tried; a name nobody has, no object.
    failed, unknown = SecurityLogEntry.objects.order_by("pk")[:2]
    assert failed.object_id == str(editor.pk) and unknown.object_id == ""


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_the_address_is_read_as_the_lockout_reads_it(client, editor):
    attempt(client, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.5")
    # An address a client wrote itself is not believed.
    attempt(client, "wrong", address="198.51.100.3", HTTP_X_FORWARDED_FOR="192.0.2.9")
    assert list(
        SecurityLogEntry.objects.order_by("pk").values_list("ip_address", flat=True)
    ) == ["192.0.2.5", "198.51.100.3"]


def test_a_lockout_is_recorded(client, editor):
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429
    locked = SecurityLogEntry.objects.filter(action="newsdesk.locked_out")
    # The fifth failure locks; the try after it is refused as locked out too.
    assert [(e.label, e.ip_address) for e in locked] == [("editor", "203.0.113.7")] * 2


def test_group_and_permission_changes_name_what_changed_and_who(editor, db):
    reporters = Group.objects.create(name="Phóng viên")
    someone = type(editor).objects.create_user("someone", password=PASSWORD)
    with LogContext(user=editor):
        someone.groups.add(reporters)
        reporters.permissions.add(Permission.objects.get(codename="access_admin"))
        someone.groups.remove(reporters)
    entries = SecurityLogEntry.objects.filter(action="newsdesk.permissions")
    assert [(e.label, e.user_id, e.data) for e in entries.order_by("pk")] == [
        ("someone", editor.pk, {"groups_added": ["Phóng viên"]}),
        (
            "Phóng viên",
            editor.pk,
            {"permissions_added": ["wagtailadmin.access_admin"]},
        ),
        ("someone", editor.pk, {"groups_removed": ["Phóng viên"]}),
    ]


def test_memberships_loaded_as_data_are_not_changes(editor, db):
    """``loaddata`` (or a test database put back) saves a group raw, then sets
    its permissions: restored data, not a change anyone made."""
    from django.core import serializers

    reporters = Group.objects.create(name="Phóng viên")
    reporters.permissions.add(Permission.objects.get(codename="access_admin"))
    dumped = serializers.serialize("json", [reporters])
    reporters.delete()
    SecurityLogEntry.objects.all().delete()

    for loaded in serializers.deserialize("json", dumped):
        loaded.save()

    assert Group.objects.get(name="Phóng viên").permissions.count() == 1
    assert not SecurityLogEntry.objects.exists()


def test_a_group_changed_in_the_admin_is_in_the_log(client, editor):
    client.force_login(editor)
    group = Group.objects.create(name="Biên tập viên")
    access = Permission.objects.get(codename="access_admin")
    # Wagtail's group form: name, its permission checkboxes, empty formsets.
    form = {"name": "Biên tập viên", "permissions": [access.pk]}
    for prefix in ("page_permissions", "collection_permissions"):
        form.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    for prefix in ("document_permissions", "image_permissions"):
        form.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(
        f"/admin/groups/edit/{group.pk}/", form, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = export()
    changed = [r for r in rows if r["action"] == "newsdesk.permissions"]
    assert changed == [
        {
            "at": changed[0]["at"],
            "actor": "editor",
            "action": "newsdesk.permissions",
            "object": "Biên tập viên",
            "object_type": "auth.group",
            "object_id": str(group.pk),
            "ip": "198.51.100.4",
            "data": {"permissions_added": ["wagtailadmin.access_admin"]},
        }
    ]
    # Wagtail's own entry for the edit is joined in, not copied.
    assert ("wagtail.edit", "Biên tập viên") in [
        (r["action"], r["object"]) for r in rows
    ]


def test_webhook_and_publishing_from_wagtails_log_are_joined(client, editor, category):
    client.force_login(editor)
    response = client.post(
        "/admin/snippets/webhooks/endpoint/add/",
        {
            "url": "https://frontend.example/hook",
            "events": ["article.published"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    endpoint = Endpoint.objects.get()
    article = make_article(category=category, title="Quang cảnh hội nghị")
    with LogContext(user=editor):
        article.unpublish(user=editor)
        article.delete()
    assert ModelLogEntry.objects.filter(action="wagtail.create").exists()
    rows = export()
    seen = [(r["action"], r["object_type"], r["object"]) for r in rows]
    assert ("wagtail.create", "webhooks.endpoint", str(endpoint)) in seen
    for action in ("wagtail.publish", "wagtail.unpublish", "wagtail.delete"):
        assert (action, "articles.articlepage", "Quang cảnh hội nghị") in seen
    # Oldest first, each with the keys a reviewer asks for.
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    assert all({"at", "actor", "action", "object", "ip"} <= set(r) for r in rows)


def test_export_since_a_day_and_a_bad_day(editor, client):
    attempt(client, PASSWORD)
    old = SecurityLogEntry.objects.get()
    SecurityLogEntry.objects.filter(pk=old.pk).update(
        timestamp=timezone.now() - timedelta(days=3)
    )
    attempt(client, "wrong")
    today = timezone.localdate().isoformat()
    assert [r["action"] for r in export(today)] == ["newsdesk.sign_in_failed"]
    assert len(export((timezone.localdate() - timedelta(days=3)).isoformat())) == 2
    for bad in ("2026-13-01", "yesterday", "01/02/2026"):
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            call_command("audit_export", "--since", bad)


def test_retention_prunes_the_security_log_only(editor, client, category, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    attempt(client, PASSWORD)
    attempt(client, "wrong")
    make_article(category=category)
    long_ago = timezone.now() - timedelta(days=31)
    SecurityLogEntry.objects.filter(action="newsdesk.sign_in").update(
        timestamp=long_ago
    )
    PageLogEntry.objects.update(timestamp=long_ago)
    call_command("prune_audit_log")
    assert list(SecurityLogEntry.objects.values_list("action", flat=True)) == [
        "newsdesk.sign_in_failed"
    ]
    assert PageLogEntry.objects.exists()  # the editors' page history stays


def test_the_scheduler_prunes_it():
    procfile = (ROOT / "Procfile").read_text()
    scheduler = next(
        line for line in procfile.splitlines() if line.startswith("scheduler:")
    )
    assert "+ prune_audit_log" in scheduler
    assert '"prune_audit_log"' in (ROOT / "docker-compose.yml").read_text()


REPORT = "/admin/reports/audit/"


def test_the_report_in_vietnamese_with_addresses_and_filters(
    client, editor, category, django_user_model
):
    other = django_user_model.objects.create_superuser("lanhdao", password=PASSWORD)
    attempt(client, "wrong", address="198.51.100.9")
    attempt(client, PASSWORD, username="lanhdao", address="192.0.2.44")
    make_article(category=category, title="Quang cảnh hội nghị")
    old = SecurityLogEntry.objects.get(action="newsdesk.sign_in_failed")
    SecurityLogEntry.objects.filter(pk=old.pk).update(
        timestamp=timezone.now() - timedelta(days=10)
    )
    client.force_login(editor)

    page = client.get(REPORT, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Nhật ký kiểm toán" in page and "Địa chỉ IP" in page
    assert "Đăng nhập thất bại" in page and "198.51.100.9" in page
    assert "Đã đăng nhập bằng mật khẩu" in page and "192.0.2.44" in page
    assert "Quang cảnh hội nghị" in page  # Wagtail's own publish entry
    # What a permission change changed, in the listing.
    reporters = Group.objects.create(name="Phóng viên")
    with LogContext(user=editor):
        other.groups.add(reporters)
    page = client.get(REPORT).content.decode()
    assert "Thay đổi quyền; thêm nhóm: Phóng viên" in page
    assert "Failed sign-in" not in page and "Audit log" not in page

    by_action = client.get(REPORT, {"action": "newsdesk.sign_in_failed"})
    assert "198.51.100.9" in by_action.content.decode()
    assert "192.0.2.44" not in by_action.content.decode()

    by_actor = client.get(REPORT, {"user": other.pk}).content.decode()
    assert "192.0.2.44" in by_actor and "198.51.100.9" not in by_actor

    today = timezone.localdate().isoformat()
    recent = client.get(REPORT, {"timestamp_from": today}).content.decode()
    assert "192.0.2.44" in recent and "198.51.100.9" not in recent
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    older = client.get(REPORT, {"timestamp_to": week_ago}).content.decode()
    assert "198.51.100.9" in older and "192.0.2.44" not in older

    csv = client.get(REPORT, {"export": "csv"})
    text = b"".join(csv.streaming_content).decode()
    assert "Địa chỉ IP" in text.splitlines()[0] and "198.51.100.9" in text


def test_only_administrators_see_the_report(client, editor, django_user_model):
    reporter = django_user_model.objects.create_user("phongvien", password=PASSWORD)
    reporter.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reporter)
    assert client.get(REPORT).status_code in (302, 403)
    assert "reports/audit" not in client.get("/admin/").content.decode()
    client.force_login(editor)
    assert client.get(REPORT).status_code == 200
    assert "reports/audit" in client.get("/admin/").content.decode()


def test_a_user_created_in_the_admin_with_a_group(client, editor):
    reporters = Group.objects.create(name="Phóng viên")
    client.force_login(editor)
    response = client.post(
        "/admin/users/new/",
        {
            "username": "phongvien2",
            "email": "pv2@example.vn",
            "first_name": "Lan",
            "last_name": "Nguyễn",
            "password1": "mot-mat-khau-dai-1",
            "password2": "mot-mat-khau-dai-1",
            "is_active": "on",
            "groups": [reporters.pk],
        },
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = [
        (r["actor"], r["action"], r["object_type"], r["ip"], r["data"])
        for r in export()
    ]
    assert ("editor", "wagtail.create", "auth.user", None, {}) in rows
    assert (
        "editor",
        "newsdesk.permissions",
        "auth.user",
        "198.51.100.20",
        {"groups_added": ["Phóng viên"]},
    ) in rows


def test_a_sign_in_without_a_username_is_refused_and_recorded(client, db):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.77")
    assert authenticate(request, username="", password="x") is None
    entry = SecurityLogEntry.objects.get()
    assert (entry.action, entry.label, entry.ip_address) == (
        "newsdesk.sign_in_failed",
        "-",
        "192.0.2.77",
    )
