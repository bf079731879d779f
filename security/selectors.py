"""Reading the audit log: every model in Wagtail's log registry (pages'
``PageLogEntry``, other objects' ``ModelLogEntry``, this app's
``SecurityLogEntry``), merged in time order. Nothing is copied between them."""

import heapq
from collections.abc import Iterator
from datetime import datetime

from wagtail.log_actions import registry

BATCH = 2000


def _rows(model, *, since: datetime) -> Iterator[tuple]:
    entries = (
        model.objects.filter(timestamp__gte=since)
        .select_related("user", "content_type")
        .order_by("timestamp", "pk")
    )
    # Batches by position: no server-side cursor (PgBouncer), bounded memory.
    last = None
    while True:
        page = (
            entries
            if last is None
            else entries.filter(timestamp__gte=last.timestamp).exclude(
                timestamp=last.timestamp, pk__lte=last.pk
            )
        )
        batch = list(page[:BATCH])
        for entry in batch:
            yield (entry.timestamp, model._meta.label, entry.pk, entry)
        if len(batch) < BATCH:
            return
        last = batch[-1]


def audit_entries(*, since: datetime) -> Iterator[dict]:
    """Every entry from ``since`` on, oldest first, as the export writes it."""
    models = sorted(registry.get_log_entry_models(), key=lambda m: m._meta.label)
    merged = heapq.merge(*(_rows(model, since=since) for model in models))
    for timestamp, _label, _pk, entry in merged:
        content_type = entry.content_type
        yield {
            "at": timestamp.isoformat(),
            "actor": entry.user.get_username() if entry.user else None,
            "action": entry.action,
            "object": entry.label,
            "object_type": (
                f"{content_type.app_label}.{content_type.model}"
                if content_type
                else None
            ),
            "object_id": str(entry.object_id) if entry.object_id != "" else None,
            "ip": getattr(entry, "ip_address", None),
            "data": entry.data,
        }
