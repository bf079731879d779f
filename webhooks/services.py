"""Webhooks: fan out each recorded change to the endpoints that want its
event, then deliver in the background, retried with exponential backoff.

The change rows of ``articles.changes`` are the one source: each recorded
change becomes at most one delivery per endpoint (unique endpoint and change
position), created in the transaction that recorded it, with the payload as
the change was then (built right after that transaction, outside the change
log's lock). A delivery is sent by :func:`attempt` in a worker
(:data:`deliver`, a django-tasks task on the ``background`` backend:
``django_tasks_db``, run by ``manage.py db_worker --backend background``),
which first claims it with one conditional
UPDATE: of two workers given the same delivery, one sends it.
"""

import json
import logging
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from requests import RequestException
from standardwebhooks import Webhook

from api.change_feed import change_entries
from api.renderers import JSONRenderer
from api.representation import site_time
from articles.changes import EVENTS, Recorded
from articles.models import Change
from webhooks import addresses
from webhooks.models import SECRET_PREFIX, Delivery, Endpoint
from webhooks.signing import signed_headers

logger = logging.getLogger(__name__)
QUEUE = "webhooks"
#: The longest wait between two attempts.
MAX_DELAY = timedelta(hours=6)
#: A claimed delivery whose worker died is taken again after this long.
CLAIM_SLACK = timedelta(seconds=60)


# --- configuring ---------------------------------------------------------------


def add_endpoint(*, url: str, events: list[str], secret: str = "") -> Endpoint:
    """A new active endpoint; ``secret`` (``whsec_`` and base64) made when
    not given. Raises ``ValidationError`` naming what is wrong."""
    URLValidator(schemes=["http", "https"])(url)
    addresses.check_url(url=url)
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise ValidationError(
            f"Events must be some of {', '.join(EVENTS)}"
            + (f"; unknown: {', '.join(unknown)}." if unknown else ".")
        )
    if secret:
        check_secret(secret)
    endpoint = Endpoint(url=url, events=sorted(set(events)), secret=secret)
    endpoint.save()
    return endpoint


def check_secret(secret: str) -> None:
    """A Standard Webhooks secret: ``whsec_`` and 24 to 64 bytes in base64."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValidationError(f"A secret starts with {SECRET_PREFIX}.")
    try:
        key = Webhook(secret)._whsecret
    except Exception as error:
        raise ValidationError("A secret is whsec_ and base64.") from error
    if not 24 <= len(key) <= 64:
        raise ValidationError("A secret holds 24 to 64 bytes.")


# --- fanning out (noted under the change log's lock, built after it) -----------

#: A payload not built yet starts so; the rest is the change, as JSON.
PENDING_PAYLOAD = "pending:"


def fan_out(sender, *, changes: list[Recorded], **kwargs) -> None:
    """``articles.changes.changes_recorded``, inside the recording transaction
    while it holds the change log's lock: a delivery per change and endpoint
    that wants its event, noted in one insert (so it commits with the change,
    once). Its payload is built once that transaction has committed and the
    lock is released (:func:`build_payloads`), then the deliveries are sent;
    were that lost (the process ended), the first attempt builds it."""
    endpoints = list(Endpoint.objects.filter(active=True))
    wanted = [r for r in changes if any(e.wants(r.event) for e in endpoints)]
    if not wanted:
        return
    now = timezone.now()
    deliveries = [
        Delivery(
            endpoint=endpoint,
            change_seq=recorded.change.seq,
            event=recorded.event,
            message_id=message_id(recorded.change),
            payload=_pending_payload(recorded),
            next_attempt_at=now,
            retry_until=now + retry_window(),
            created_at=now,
        )
        for recorded in wanted
        for endpoint in endpoints
        if endpoint.wants(recorded.event)
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    seqs = [r.change.seq for r in wanted]
    transaction.on_commit(partial(_build_and_send, seqs))


def _build_and_send(seqs: list[int]) -> None:
    build_payloads(seqs)
    ids = list(
        Delivery.objects.filter(change_seq__in=seqs, attempts=0).values_list(
            "pk", flat=True
        )
    )
    _enqueue(ids)


def build_payloads(seqs: list[int]) -> None:
    """Build the payloads still pending of the deliveries announcing the
    changes at ``seqs``: the change feed's Change object as ``data``, in
    Standard Webhooks' ``{type, timestamp, data}``; one per change, the same
    for every endpoint."""
    pending = dict(
        Delivery.objects.filter(
            change_seq__in=seqs, payload__startswith=PENDING_PAYLOAD
        ).values_list("change_seq", "payload")
    )
    if not pending:
        return
    changes = [_pending_change(text) for _seq, text in sorted(pending.items())]
    entries = change_entries(
        [change for change, _event in changes], request=site_request()
    )
    for (change, event), entry in zip(changes, entries, strict=True):
        body = {"type": event, "timestamp": site_time(change.at), "data": entry}
        Delivery.objects.filter(
            change_seq=change.seq, payload__startswith=PENDING_PAYLOAD
        ).update(payload=JSONRenderer().render(body).decode())


def _pending_payload(recorded: Recorded) -> str:
    change = recorded.change
    fields = {
        "event": recorded.event,
        "seq": change.seq,
        "kind": change.kind,
        "object_id": change.object_id,
        "action": change.action,
        "slug": change.slug,
        "at": change.at.isoformat(),
    }
    return PENDING_PAYLOAD + json.dumps(fields)


def _pending_change(text: str) -> tuple[Change, str]:
    fields = json.loads(text.removeprefix(PENDING_PAYLOAD))
    event = fields.pop("event")
    fields["at"] = datetime.fromisoformat(fields["at"])
    return Change(**fields), event


def message_id(change) -> str:
    """``webhook-id``: the change's position and time, so that a database
    started afresh (positions from 1 again) never repeats an id a receiver
    has seen."""
    return f"msg_{change.seq}_{int(change.at.timestamp())}"


def site_request() -> HttpRequest:
    """A request on the backend's own address (``WAGTAILADMIN_BASE_URL``):
    media URLs in payloads are absolute on it."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return _SiteRequest(host=parts.netloc, scheme=parts.scheme or "https")


class _SiteRequest(HttpRequest):
    def __init__(self, *, host: str, scheme: str):
        super().__init__()
        self._host, self._scheme = host, scheme

    def get_host(self) -> str:
        return self._host

    def _get_scheme(self) -> str:
        return self._scheme


# --- delivering (in a worker) ------------------------------------------------------


@task(backend="background", queue_name=QUEUE)
def deliver(delivery_id: int) -> str:
    return attempt(delivery_id=delivery_id)


def attempt(*, delivery_id: int) -> str:
    """Claim the delivery and send it once; on failure plan the next attempt.
    Returns what happened (the task's result in the worker's table)."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, locked_until__lt=now)
        )
        .update(
            status=Delivery.Status.SENDING,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            locked_until=now + _timeout() + CLAIM_SLACK,
        )
    )
    if not claimed:
        return "not due, or taken by another worker"
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.payload.startswith(PENDING_PAYLOAD):  # not built after its commit
        build_payloads([delivery.change_seq])
        delivery.refresh_from_db(fields=["payload"])
    endpoint = delivery.endpoint
    status_code, error = None, ""
    if not endpoint.active:
        error = "The webhook is turned off."
    else:
        try:
            status_code, error = _send(delivery, at=now)
        except addresses.Refused as refused:
            # Never retried: the same name would be refused again.
            failed = Delivery.Status.FAILED
            _finish(delivery, status=failed, error=str(refused))
            return f"refused: {refused}"
    if not error:
        _finish(delivery, status=Delivery.Status.DELIVERED, status_code=status_code)
        return "delivered"
    return _plan_retry(delivery, status_code=status_code, error=error)


def _send(delivery: Delivery, *, at: datetime) -> tuple[int | None, str]:
    headers = signed_headers(
        secret=delivery.endpoint.secret,
        message_id=delivery.message_id,
        body=delivery.payload,
        at=at,
    )
    headers["user-agent"] = "newsdesk-webhooks/1"
    try:
        response = addresses.post(
            url=delivery.endpoint.url,
            data=delivery.payload.encode(),
            headers=headers,
            timeout=_timeout().total_seconds(),
        )
    except RequestException as failure:
        return None, f"{type(failure).__name__}: {failure}"[:1000]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}"


def _plan_retry(delivery: Delivery, *, status_code: int | None, error: str) -> str:
    when = timezone.now() + retry_delay(delivery.attempts)
    if when > delivery.retry_until or not delivery.endpoint.active:
        failed = Delivery.Status.FAILED
        _finish(delivery, status=failed, status_code=status_code, error=error)
        return f"failed: {error}"
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=when,
        locked_until=None,
        last_status_code=status_code,
        last_error=error,
    )
    _enqueue([delivery.pk], at=when)
    return f"retry at {when.isoformat()}: {error}"


def _finish(delivery, *, status, status_code=None, error="") -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        locked_until=None,
        last_status_code=status_code,
        last_error=error,
        delivered_at=timezone.now() if status == Delivery.Status.DELIVERED else None,
    )


def retry_delay(attempts: int) -> timedelta:
    """After the ``attempts``-th failure: the base delay, doubled each time."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return min(timedelta(seconds=base * 2 ** (attempts - 1)), MAX_DELAY)


def retry_window() -> timedelta:
    return timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)


def _timeout() -> timedelta:
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS)


# --- the admin and the scheduler ------------------------------------------------


def resend(*, delivery: Delivery) -> None:
    """Send again from now (the delivery log's "resend"), retried as new. A
    delivery being sent or still waiting is left alone: resetting it would let
    a second worker claim it while the first is still posting."""
    now = timezone.now()
    Delivery.objects.filter(
        pk=delivery.pk,
        status__in=(Delivery.Status.DELIVERED, Delivery.Status.FAILED),
    ).update(
        status=Delivery.Status.PENDING,
        attempts=0,
        next_attempt_at=now,
        retry_until=now + retry_window(),
        locked_until=None,
    )
    transaction.on_commit(lambda: _enqueue([delivery.pk]))


def requeue_due() -> int:
    """Queue again what is due but has no task (a task lost, a worker killed
    while sending): a claim keeps it from going out twice. Nothing while
    tasks wait in the queue (the workers are behind or stopped: queuing more
    every minute would only pile them up)."""
    if DBTaskResult.objects.ready().filter(queue_name=QUEUE).exists():
        return 0
    now = timezone.now()
    due = Delivery.objects.filter(
        Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now - CLAIM_SLACK)
        | Q(status=Delivery.Status.SENDING, locked_until__lt=now)
    )
    ids = list(due.values_list("pk", flat=True))
    _enqueue(ids)
    return len(ids)


def _enqueue(ids: list[int], *, at: datetime | None = None) -> None:
    queued = deliver.using(run_after=at) if at else deliver
    for pk in ids:
        queued.enqueue(pk)
