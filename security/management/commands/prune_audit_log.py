"""``manage.py prune_audit_log``: delete security log entries older than
``AUDIT_RETENTION_DAYS`` (run by the scheduler). Wagtail's page and object
history is the editors' history too, and holds no addresses: left alone."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from security.models import SecurityLogEntry


class Command(BaseCommand):
    help = "Delete security log entries older than AUDIT_RETENTION_DAYS."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        deleted, _ = SecurityLogEntry.objects.filter(timestamp__lt=cutoff).delete()
        if deleted:
            self.stdout.write(f"{deleted} security log entries deleted.")
