"""Where a webhook may go: never to an internal address (loopback, where
Redis and the app's own admin listen; private networks; link-local, where
cloud metadata answers; unspecified, multicast, reserved; their IPv6
equivalents and IPv4 mapped into IPv6), unless its host name is listed in
``WEBHOOK_ALLOWED_PRIVATE_HOSTS``.

Checked when a webhook is registered (:func:`check_url`: every address the
name resolves to now, a clear error) and again at each delivery
(:func:`post`), after DNS resolution: requests-hardened resolves the name,
refuses an internal address and connects to the very address it checked
(pinned into the connection pool; the ``Host`` header, TLS SNI and the
certificate check keep the host name), so a name that resolves elsewhere
between the check and the connection (DNS rebinding) cannot slip through.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from requests_hardened import Config, Manager
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES, InvalidIPAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Never redirected (a receiver's redirect could point inside); the timeout is
# given with each request.
_GUARDED = Manager(
    Config(
        ip_filter_enable=True,
        ip_filter_allow_loopback_ips=False,
        never_redirect=True,
        default_timeout=None,
    )
)
_OPEN = Manager(
    Config(
        ip_filter_enable=False,
        ip_filter_allow_loopback_ips=True,
        never_redirect=True,
        default_timeout=None,
    )
)


class Refused(Exception):
    """A delivery's host resolved to an internal address: never sent, never
    retried (it would only be refused again)."""

    def __init__(self, *, host: str, address: str):
        self.host, self.address = host, address
        super().__init__(
            gettext(
                "Not sent: %(host)s resolves to %(address)s, an internal "
                "address. Add the host to WEBHOOK_ALLOWED_PRIVATE_HOSTS if "
                "it is meant."
            )
            % {"host": host, "address": address}
        )


def is_internal(address: IPAddress) -> bool:
    """Not a public address on the internet."""
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
        or not address.is_global
        or any(address in network for network in EXTRA_BLOCKED_NET_RANGES)
    )


def is_allowed_private(host: str) -> bool:
    return host.lower() in settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS


def check_url(*, url: str) -> None:
    """Raise ``ValidationError`` if ``url``'s host is, or resolves to, an
    internal address and is not allowed by name. A name that does not resolve
    yet is accepted: each delivery checks again."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or is_allowed_private(host):
        return
    for address in _addresses(host):
        if is_internal(address):
            raise ValidationError(
                gettext(
                    "%(host)s is an internal address (%(address)s): a webhook "
                    "may not be sent there. Only hosts listed in "
                    "WEBHOOK_ALLOWED_PRIVATE_HOSTS may be internal."
                ),
                code="internal_address",
                params={"host": parts.hostname, "address": str(address)},
            )


def _addresses(host: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0]) for info in found]


def post(
    *, url: str, data: bytes, headers: dict[str, str], timeout: float
) -> requests.Response:
    """POST ``data`` to ``url`` once, never following a redirect. Raises
    :class:`Refused` for an internal address, ``requests.RequestException``
    for any other failure."""
    host = (urlsplit(url).hostname or "").lower()
    manager = _OPEN if is_allowed_private(host) else _GUARDED
    try:
        return manager.send_request(
            "POST",
            url,
            data=data,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
        )
    except InvalidIPAddress as refused:
        raise Refused(host=host, address=str(refused)) from refused
