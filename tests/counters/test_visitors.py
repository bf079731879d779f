"""Who counts: visitor identity, client address, bots and editors."""

from datetime import date

import pytest
from django.test import RequestFactory, override_settings

from counters.visitors import (
    anonymous_key,
    client_address,
    is_bot,
    valid_visitor_id,
    visitor_from_request,
)

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)


@pytest.fixture
def rf():
    return RequestFactory()


def anonymous(request):
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def test_header_then_cookie_identify_the_visitor(rf):
    request = anonymous(
        rf.post("/", HTTP_X_VISITOR_ID="app-install-12345", HTTP_USER_AGENT=BROWSER)
    )
    assert visitor_from_request(request).key == "app-install-12345"
    request = anonymous(rf.post("/", HTTP_USER_AGENT=BROWSER))
    request.COOKIES["nd_visitor"] = "cookie-value-987"
    visitor = visitor_from_request(request)
    assert visitor.key == "cookie-value-987"
    assert visitor.has_id and visitor.countable


def test_a_malformed_id_falls_back_to_the_address_hash(rf):
    request = anonymous(
        rf.post("/", HTTP_X_VISITOR_ID="<script>", HTTP_USER_AGENT=BROWSER)
    )
    visitor = visitor_from_request(request)
    assert visitor.key.startswith("h") and not visitor.has_id
    assert valid_visitor_id(visitor.key)  # so it can be handed back as the cookie


def test_the_anonymous_hash_changes_daily_and_with_the_agent():
    one = anonymous_key(address="1.2.3.4", user_agent=BROWSER, day=date(2026, 1, 1))
    assert one == anonymous_key(
        address="1.2.3.4", user_agent=BROWSER, day=date(2026, 1, 1)
    )
    assert one != anonymous_key(
        address="1.2.3.4", user_agent=BROWSER, day=date(2026, 1, 2)
    )
    assert one != anonymous_key(
        address="1.2.3.4", user_agent="Other/1.0", day=date(2026, 1, 1)
    )
    assert "1.2.3.4" not in one


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_address(request) == "203.0.113.9"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        request = rf.get(
            "/",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.3",
        )
        # The spoofable left end is skipped: the nearest untrusted hop is the client.
        assert client_address(request) == "198.51.100.7"
        request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
        assert client_address(request) == "203.0.113.9"


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "   ",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "python-requests/2.32",
        "curl/8.5.0",
    ],
)
def test_bots_and_empty_agents(agent):
    assert is_bot(agent)


def test_browsers_are_not_bots():
    assert not is_bot(BROWSER)


def test_bots_and_editors_do_not_count(rf, editor, django_user_model):
    bot = anonymous(rf.post("/", HTTP_USER_AGENT="Googlebot/2.1"))
    assert not visitor_from_request(bot).countable
    signed_in = rf.post("/", HTTP_USER_AGENT=BROWSER)
    signed_in.user = editor
    assert not visitor_from_request(signed_in).countable
    reader = rf.post("/", HTTP_USER_AGENT=BROWSER)
    reader.user = django_user_model.objects.create_user("reader", password="x-y-z-1")
    assert visitor_from_request(reader).countable


# --- Header-driven work is bounded (issue 22) --------------------------------


@pytest.fixture
def inspected(monkeypatch):
    """The user agents crawlerdetect is given (its own method, still run)."""
    from counters import visitors

    given = []
    check = visitors._crawlers.is_crawler

    def recording(user_agent=None, *args, **kwargs):
        given.append(user_agent)
        return check(user_agent, *args, **kwargs)

    monkeypatch.setattr(visitors._crawlers, "is_crawler", recording)
    return given


@pytest.mark.parametrize(
    "agent",
    ["a" * 8000, "Mozilla/5.0 " + "(" * 8000, BROWSER + " " + "x" * 600],
    ids=["8000-a", "8000-parens", "browser-padded"],
)
def test_a_user_agent_too_long_for_a_browser_is_a_bot_never_inspected(
    rf, inspected, agent
):
    from counters.visitors import MAX_USER_AGENT

    request = anonymous(rf.post("/", HTTP_USER_AGENT=agent))

    assert not visitor_from_request(request).countable
    assert all(len(given) <= MAX_USER_AGENT for given in inspected)


def test_the_bot_check_reads_a_browser_agent_whole(rf, inspected):
    request = anonymous(rf.post("/", HTTP_USER_AGENT=BROWSER))

    assert visitor_from_request(request).countable
    assert inspected == [BROWSER]


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_x_forwarded_for_is_read_for_a_bounded_number_of_hops(rf, monkeypatch):
    """A client may send thousands of trusted-looking hops: a bounded number of
    them is parsed, from the right."""
    import ipaddress

    from counters import visitors

    parsed = []
    real = ipaddress.ip_address

    def counting(value):
        parsed.append(value)
        return real(value)

    monkeypatch.setattr(visitors.ipaddress, "ip_address", counting)
    forwarded = ", ".join(["203.0.113.9"] + ["10.1.2.3"] * 3000)
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")

    address = client_address(request)

    assert address == "10.1.2.3"  # the farthest hop read: still a proxy's
    assert len(parsed) <= 2 * (visitors.MAX_FORWARDED_HOPS + 1)
