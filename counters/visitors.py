"""Who is counting: a visitor's identity, and whether they count at all.

A visitor is the ``X-Visitor-Id`` header or the ``nd_visitor`` cookie when sent
(apps behind carrier NAT share one address), else a salted hash of client
address and user agent. The salt is derived from ``SECRET_KEY`` and the local
date, so it rotates daily without any stored state and the hash cannot be
linked across days. Bots and signed-in editors are not counted.
"""

import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

VISITOR_COOKIE = "nd_visitor"
VISITOR_HEADER = "X-Visitor-Id"
# Ids a client may send: the cookie we set, UUIDs, app install ids.
_VALID_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# The longest user agent the bot check reads. Browsers and apps send 100 to
# 400 characters; crawlerdetect's patterns cost far more than linear time on a
# long string (an 8,000-character one held a worker for seconds: issue 22), so
# a longer agent is a bot's, unread.
MAX_USER_AGENT = 512
# X-Forwarded-For hops read from the right: more proxies than this in front
# of the app is a client's invention (each hop is parsed).
MAX_FORWARDED_HOPS = 16

_crawlers = CrawlerDetect()


@dataclass(frozen=True)
class Visitor:
    """``key`` identifies the visitor for dedupe and is a valid visitor id, so a
    server may hand it back as the ``nd_visitor`` cookie: the next request then
    dedupes against the same key. ``countable`` is False for bots and editors.
    ``has_id`` says the key came from a header or cookie."""

    key: str
    countable: bool = True
    has_id: bool = False


def valid_visitor_id(value: str | None) -> bool:
    return bool(value) and bool(_VALID_ID.match(value))


def is_bot(user_agent: str) -> bool:
    """True for crawlers (crawlerdetect's maintained list), empty agents and
    agents longer than ``MAX_USER_AGENT`` (never given to crawlerdetect)."""
    if len(user_agent) > MAX_USER_AGENT:
        return True
    user_agent = user_agent.strip()
    return not user_agent or _crawlers.is_crawler(user_agent)


def is_editor(user) -> bool:
    """Signed-in users who may use the Wagtail admin."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
    )


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or, when that is a trusted proxy,
    the nearest untrusted address in ``X-Forwarded-For`` (read right to left,
    since a client can put anything at the left end)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.rsplit(",", MAX_FORWARDED_HOPS)]
    for hop in reversed(hops[-MAX_FORWARDED_HOPS:]):
        if not hop:
            continue
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage: stop at the last hop we could vouch for
        if not _trusted(hop):
            return hop
        remote = hop
    return remote


def daily_salt(day: date) -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"visitor-salt:{day}".encode(), hashlib.sha256
    ).digest()


def anonymous_key(*, address: str, user_agent: str, day: date) -> str:
    digest = hmac.new(
        daily_salt(day), f"{address}\n{user_agent}".encode(), hashlib.sha256
    )
    return "h" + digest.hexdigest()[:32]


def visitor_from_request(
    request: HttpRequest, *, user=None, now: datetime | None = None
) -> Visitor:
    """The visitor behind ``request``; ``user`` defaults to ``request.user`` (pass
    the session user where a framework has replaced it, as DRF does)."""
    meta = request.META
    user_agent = meta.get("HTTP_USER_AGENT", "")
    user = user if user is not None else getattr(request, "user", None)
    countable = not is_bot(user_agent) and not is_editor(user)
    for sent in (meta.get("HTTP_X_VISITOR_ID"), request.COOKIES.get(VISITOR_COOKIE)):
        if valid_visitor_id(sent):
            return Visitor(key=sent, countable=countable, has_id=True)
    day = timezone.localdate(now or timezone.now())
    key = anonymous_key(address=client_address(request), user_agent=user_agent, day=day)
    return Visitor(key=key, countable=countable)
