"""Webhooks in process: which events a change makes, the admin screens (in
Vietnamese; the secret shown once) and the management command."""

import json

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage
from tests.factories import make_article, make_category
from webhooks import services
from webhooks.models import Delivery, Endpoint, new_secret

EVERY_EVENT = [
    "article.published",
    "article.updated",
    "article.unpublished",
    "category.updated",
]


@pytest.fixture
def recorded(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def sent(endpoint) -> list[tuple[str, dict]]:
    deliveries = Delivery.objects.filter(endpoint=endpoint).order_by("change_seq")
    return [(d.event, json.loads(d.payload)) for d in deliveries]


def test_each_change_readers_see_is_one_event(db, recorded):
    every = services.add_endpoint(url="https://a.example.vn/hook", events=EVERY_EVENT)
    published_only = services.add_endpoint(
        url="https://b.example.vn/hook", events=["article.published"]
    )
    category = recorded(lambda: make_category(title="Tin tức sự kiện"))
    article = recorded(lambda: make_article(category=category, title="Tin một"))

    def edit():
        draft = article.get_latest_revision_as_object()
        draft.title = "Tin một (đã sửa)"
        draft.save_revision().publish()

    recorded(edit)
    # Restricting the category hides it and its article.
    recorded(
        lambda: PageViewRestriction.objects.create(
            page=category, restriction_type=PageViewRestriction.LOGIN
        )
    )
    events = [event for event, _payload in sent(every)]
    assert events == [
        "category.updated",
        "article.published",
        "article.updated",
        "category.updated",
        "article.unpublished",
    ]
    payloads = dict(sent(every)[1:3])
    assert payloads["article.published"]["data"]["article"]["title"] == "Tin một"
    updated = payloads["article.updated"]["data"]["article"]
    assert updated["title"] == "Tin một (đã sửa)"
    # The payload's data is the change feed's change, summary and all.
    assert updated.keys() >= {"id", "slug", "url", "excerpt", "category", "view_count"}
    unpublished = sent(every)[-1][1]["data"]
    assert unpublished == {
        "id": article.pk,
        "kind": "article",
        "action": "delete",
        "at": unpublished["at"],
        "slug": article.slug,
    }
    assert [event for event, _ in sent(published_only)] == ["article.published"]


def as_json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable`` allows null."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {k: as_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_payloads_are_what_the_schema_says(db, client, recorded):
    endpoint = services.add_endpoint(url="https://a.example.vn/", events=EVERY_EVENT)
    category = recorded(lambda: make_category())
    article = recorded(lambda: make_article(category=category))
    recorded(lambda: ArticlePage.objects.get(pk=article.pk).unpublish())
    document = client.get("/api/v1/schema/?format=json").json()
    schema = {
        "$ref": "#/components/schemas/WebhookEvent",
        "components": as_json_schema(document["components"]),
    }
    payloads = [payload for _event, payload in sent(endpoint)]
    assert len(payloads) == 3
    for payload in payloads:
        jsonschema.validate(payload, schema)


def test_no_endpoint_no_delivery_and_inactive_ones_get_nothing(db, recorded):
    off = services.add_endpoint(url="https://a.example.vn/", events=EVERY_EVENT)
    Endpoint.objects.filter(pk=off.pk).update(active=False)
    category = recorded(lambda: make_category())
    recorded(lambda: make_article(category=category))
    assert not Delivery.objects.exists()


def test_the_editor_request_only_queues(db, recorded, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    services.add_endpoint(url="http://127.0.0.1:9/unreachable", events=EVERY_EVENT)
    category = recorded(lambda: make_category())
    recorded(lambda: make_article(category=category))
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 0)}


def test_the_command_adds_and_lists(db, capsys):
    secret = new_secret()
    call_command(
        "webhooks",
        "add",
        "https://app.example.vn/hooks",
        "--events",
        "article.published,article.unpublished",
        "--secret",
        secret,
    )
    endpoint = Endpoint.objects.get()
    assert endpoint.secret == secret
    assert endpoint.events == ["article.published", "article.unpublished"]
    call_command(
        "webhooks",
        "add",
        "https://cdn.example.vn/purge",
        "--events",
        "category.updated",
    )
    out = capsys.readouterr().out
    made = Endpoint.objects.get(url="https://cdn.example.vn/purge").secret
    assert made.startswith("whsec_") and made in out  # shown once, when made
    call_command("webhooks", "list")
    listing = capsys.readouterr().out
    assert "https://app.example.vn/hooks" in listing and secret not in listing
    assert made not in listing


@pytest.mark.parametrize(
    "args",
    [
        ("not-a-url", "--events", "article.published"),
        ("https://a.example.vn/", "--events", "article.deleted"),
        ("https://a.example.vn/", "--events", "article.published", "--secret", "x"),
        (
            "https://a.example.vn/",
            "--events",
            "article.published",
            "--secret",
            "whsec_c2hvcnQ=",
        ),
    ],
)
def test_the_command_refuses_what_would_never_work(db, args):
    with pytest.raises(CommandError):
        call_command("webhooks", "add", *args)
    assert not Endpoint.objects.exists()


def test_the_admin_shows_the_secret_once_in_vietnamese(editor_client):
    add_url = reverse("wagtailsnippets_webhooks_endpoint:add")
    form = editor_client.get(add_url)
    assert form.status_code == 200
    page = form.content.decode()
    assert "Các sự kiện được gửi đến URL này." in page
    assert "whsec_" not in page
    answer = editor_client.post(
        add_url,
        {
            "url": "https://app.example.vn/hooks",
            "events": ["article.published"],
            "active": "on",
        },
        follow=True,
    )
    assert answer.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["article.published"]
    shown = answer.content.decode()
    assert endpoint.secret in shown
    assert "Khóa bí mật của nó chỉ hiện một lần này" in shown
    # Never again: not in the listing, the edit form, anywhere.
    index = reverse("wagtailsnippets_webhooks_endpoint:list")
    edit = reverse("wagtailsnippets_webhooks_endpoint:edit", args=[endpoint.pk])
    for url in (index, edit):
        again = editor_client.get(url)
        assert again.status_code == 200
        assert endpoint.secret not in again.content.decode()
    assert "article.published" in editor_client.get(index).content.decode()
    # Editing keeps the secret.
    secret = endpoint.secret
    editor_client.post(
        edit, {"url": "https://app.example.vn/hooks2", "events": ["article.updated"]}
    )
    endpoint.refresh_from_db()
    assert endpoint.url.endswith("hooks2") and not endpoint.active
    assert endpoint.secret == secret


def test_the_delivery_log_shows_and_resends(editor_client, recorded, settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    services.add_endpoint(url="http://127.0.0.1:9/hook", events=EVERY_EVENT)
    category = recorded(lambda: make_category())
    recorded(lambda: make_article(category=category))
    delivery = Delivery.objects.get(event="article.published")
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, attempts=12, last_error="HTTP 500"
    )
    log = editor_client.get(reverse("webhooks_delivery_log"))
    assert log.status_code == 200
    page = log.content.decode()
    for vietnamese in ("Nhật ký gửi webhook", "thất bại", "Gửi lại", "lỗi gần nhất"):
        assert vietnamese.lower() in page.lower()
    assert "HTTP 500" in page
    with_commit = recorded(
        lambda: editor_client.post(
            reverse("webhooks_delivery_resend", args=[delivery.pk]), follow=True
        )
    )
    assert "Webhook sẽ được gửi lại." in with_commit.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 0  # retried as new: from the first delay

    # One being sent is left to its worker (a reset would let a second post).
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING)
    services.resend(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENDING


def test_the_delivery_log_is_for_those_who_manage_webhooks(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("phongvien", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    answer = client.get(reverse("webhooks_delivery_log"))
    assert answer.status_code == 302 and answer["Location"] == "/admin/"


def test_an_article_deleted_is_unpublished_for_webhooks(db, recorded):
    endpoint = services.add_endpoint(url="https://a.example.vn/", events=EVERY_EVENT)
    category = recorded(lambda: make_category())
    article = recorded(lambda: make_article(category=category))
    recorded(lambda: ArticlePage.objects.get(pk=article.pk).delete())
    assert sent(endpoint)[-1][0] == "article.unpublished"


def test_requeue_queues_only_what_lost_its_task(db, recorded, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    services.add_endpoint(url="http://127.0.0.1:9/", events=EVERY_EVENT)
    recorded(lambda: make_category())
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))
    assert DBTaskResult.objects.ready().count() == 1
    assert services.requeue_due() == 0  # its task waits in the queue
    DBTaskResult.objects.all().delete()  # lost
    assert services.requeue_due() == 1
    assert DBTaskResult.objects.ready().count() == 1


def test_a_payload_its_process_never_built_is_built_by_the_first_attempt(db, settings):
    """The deliveries commit with their change; had the process ended before
    building the payloads (here: the commit callbacks never run), the first
    attempt builds the payload as the change feed shows it, and sends it."""
    from articles.changes import record_changes
    from tests.webhooks.receiver import Receiver, serve

    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    receiver = Receiver()
    server = serve(receiver)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        services.add_endpoint(url=url, events=["article.published"])
        category = make_category()
        make_article(category=category, title="Tin chưa gửi")
        record_changes()  # its commit callbacks are lost with the test's
        delivery = Delivery.objects.get()
        assert delivery.payload.startswith(services.PENDING_PAYLOAD)
        assert services.attempt(delivery_id=delivery.pk) == "delivered"
    finally:
        server.shutdown()
    (received,) = receiver.delivered()
    body = json.loads(received.body)
    assert body["type"] == "article.published"
    assert body["data"]["article"]["title"] == "Tin chưa gửi"
    delivery.refresh_from_db()
    assert json.loads(delivery.payload) == body
