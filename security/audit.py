"""Writing the security log (``SecurityLogEntry``): one function, called by
the sign-in receivers, the two-factor views and the permission receivers.

The actor defaults to the user of Wagtail's active log context (the admin
sets it for the request being served); the address to the request's, read
as counting reads it (``X-Forwarded-For`` only from ``TRUSTED_PROXIES``).
"""

import contextvars
import ipaddress

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from wagtail.log_actions import get_active_log_context

from counters.visitors import client_address
from security.models import SecurityLogEntry

#: The address of the request being served, for entries written where no
#: request is at hand (a permission saved by a form); set by
#: ``security.middleware.RequestAddressMiddleware``.
current_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_address", default=None
)


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    obj: models.Model | None = None,
    label: str = "",
    data: dict | None = None,
) -> SecurityLogEntry:
    """Write one entry. ``obj`` is what the action concerns (the user signing
    in, the group whose permissions changed); without it ``label`` names it
    (a username nobody has)."""
    context = get_active_log_context()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        user = context.user if context.user and context.user.is_authenticated else None
    address = client_address(request) if request is not None else current_address.get()
    entry = SecurityLogEntry(
        action=action,
        timestamp=timezone.now(),
        user=user,
        uuid=context.uuid,
        ip_address=_valid(address),
        data=data or {},
        # Never blank (the model requires a name): a sign-in without one.
        label=label or (str(obj) if obj is not None else "") or "-",
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
    entry.save()
    return entry


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None
