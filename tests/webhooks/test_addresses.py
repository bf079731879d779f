"""Webhooks never reach internal services (issue 22.6): internal addresses
are refused when a webhook is registered (the command, the admin) and at each
delivery after DNS resolution, unless the host is allowed by name
(``WEBHOOK_ALLOWED_PRIVATE_HOSTS``). Deliveries go to a real receiver on
loopback."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import make_category
from tests.webhooks.receiver import Receiver, serve
from webhooks import services
from webhooks.models import Delivery, Endpoint

REFUSED = "là địa chỉ nội bộ"

INTERNAL = [
    "http://127.0.0.1:6379/",  # Redis
    "http://127.0.0.1:8000/admin/",  # the app itself
    "http://localhost:8000/",  # a name resolving to loopback
    "http://10.1.2.3/hook",
    "http://172.16.0.9/hook",
    "http://192.168.1.20/hook",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://0.0.0.0:8000/",  # unspecified
    "http://224.0.0.1/",  # multicast
    "http://100.64.0.7/",  # carrier-grade NAT
    "http://[::1]:6379/",
    "http://[::]/",
    "http://[fc00::5]/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://[ff02::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4 mapped into IPv6
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:10.0.0.1]/",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_the_command_refuses_internal_addresses(db, url):
    with pytest.raises(CommandError) as refused:
        call_command("webhooks", "add", url, "--events", "article.published")
    assert REFUSED in str(refused.value)
    assert "WEBHOOK_ALLOWED_PRIVATE_HOSTS" in str(refused.value)
    assert not Endpoint.objects.exists()


def test_public_addresses_are_accepted(db):
    # Literal public addresses: no DNS needed.
    for url in ("https://203.113.131.1/hook", "http://[2001:4860:4860::8888]/"):
        services.add_endpoint(url=url, events=["article.published"])
    assert Endpoint.objects.count() == 2


@pytest.mark.parametrize(
    "url", ["http://localhost:8080/h", "http://10.1.2.3/h", "http://[::1]/h"]
)
def test_a_host_allowed_by_name_may_be_internal(db, settings, url):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["localhost", "10.1.2.3"]
    if url == "http://[::1]/h":
        with pytest.raises(CommandError):
            call_command("webhooks", "add", url, "--events", "article.published")
        assert not Endpoint.objects.exists()
    else:
        call_command("webhooks", "add", url, "--events", "article.published")
        assert Endpoint.objects.get().url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost/",
    ],
)
def test_the_admin_refuses_internal_addresses_in_vietnamese(editor_client, url):
    add_url = reverse("wagtailsnippets_webhooks_endpoint:add")
    answer = editor_client.post(
        add_url, {"url": url, "events": ["article.published"], "active": "on"}
    )
    assert answer.status_code == 200  # the form again, with the error
    page = answer.content.decode()
    assert REFUSED in page
    assert not Endpoint.objects.exists()


def test_the_admin_refuses_an_internal_address_when_editing(editor_client):
    endpoint = services.add_endpoint(
        url="https://203.113.131.1/hook", events=["article.published"]
    )
    edit = reverse("wagtailsnippets_webhooks_endpoint:edit", args=[endpoint.pk])
    answer = editor_client.post(
        edit,
        {
            "url": "http://169.254.169.254/",
            "events": ["article.published"],
            "active": "on",
        },
    )
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://203.113.131.1/hook"


@pytest.fixture
def receiver():
    receiver = Receiver()
    server = serve(receiver)
    receiver.port = server.server_address[1]
    yield receiver
    server.shutdown()


@pytest.fixture
def recorded(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def test_a_delivery_to_a_name_now_resolving_to_loopback_is_refused(
    db, receiver, recorded
):
    # Registered when the name pointed elsewhere (the admin would refuse it
    # now): the delivery resolves it again and refuses loopback.
    url = f"http://localhost:{receiver.port}/hook"
    Endpoint.objects.create(url=url, events=["category.updated"])
    recorded(lambda: make_category())
    delivery = Delivery.objects.get()
    outcome = services.attempt(delivery_id=delivery.pk)
    assert outcome.startswith("refused")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED  # not retried
    assert delivery.attempts == 1
    assert "localhost" in delivery.last_error
    assert "127.0.0.1" in delivery.last_error
    assert "địa chỉ nội bộ" in delivery.last_error
    assert receiver.received == []
    # Nothing left to retry it.
    assert services.attempt(delivery_id=delivery.pk).startswith("not due")
    assert receiver.received == []


def test_a_delivery_to_an_allowed_private_host_arrives(
    db, receiver, recorded, settings
):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    url = f"http://localhost:{receiver.port}/hook"
    services.add_endpoint(url=url, events=["category.updated"])
    recorded(lambda: make_category())
    delivery = Delivery.objects.get()
    assert services.attempt(delivery_id=delivery.pk) == "delivered"
    [arrived] = receiver.delivered()
    assert arrived.headers["host"] == f"localhost:{receiver.port}"
    assert arrived.headers["webhook-id"] == delivery.message_id


def test_the_delivery_log_shows_why_it_was_refused(editor_client, receiver, recorded):
    Endpoint.objects.create(
        url=f"http://localhost:{receiver.port}/", events=["category.updated"]
    )
    recorded(lambda: make_category())
    services.attempt(delivery_id=Delivery.objects.get().pk)
    page = editor_client.get(reverse("webhooks_delivery_log")).content.decode()
    assert "thất bại" in page.lower()
    assert "Không gửi: localhost trỏ đến 127.0.0.1" in page
