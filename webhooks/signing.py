"""Standard Webhooks signatures (https://www.standardwebhooks.com/), made by
the ``standardwebhooks`` library receivers verify with."""

from datetime import UTC, datetime

from standardwebhooks import Webhook


def signed_headers(*, secret: str, message_id: str, body: str, at: datetime) -> dict:
    """The three headers of a webhook. ``at`` goes to the library in UTC: it
    replaces the zone of an aware time instead of converting it."""
    at = at.astimezone(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
        "content-type": "application/json",
    }
