"""``manage.py audit_export --since 2026-01-31``: the audit log from that day
(local time) on, one JSON object a line, oldest first."""

import json
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from security.selectors import audit_entries


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--since must be a date written YYYY-MM-DD, not {value!r}."
        ) from None


class Command(BaseCommand):
    help = (
        "Print the audit log (sign-ins, lockouts, permission and setting "
        "changes, publishing) from a day on, as JSON lines: at, actor, "
        "action, object, object_type, object_id, ip, data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", required=True, help="first day, YYYY-MM-DD (local time)"
        )

    def handle(self, *args, since: str, **options):
        start = timezone.make_aware(datetime.combine(_day(since), time.min))
        for row in audit_entries(since=start):
            self.stdout.write(json.dumps(row, ensure_ascii=False, default=str))
