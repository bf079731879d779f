"""``manage.py record_changes``: record what readers see change that no event
announces (a ``published_at`` or ``go_live_at`` reached, an ``expire_at``
passed, anything a failed recording missed), and drop deletions older than
``CHANGES_RETENTION_DAYS``. The scheduler runs it every minute after
``publish_scheduled`` (Procfile, docker-compose.yml)."""

from django.core.management.base import BaseCommand

from articles.changes import prune_changes, record_changes


class Command(BaseCommand):
    help = "Record changes readers can see (the change feed, webhooks); prune old ones."

    def handle(self, *args, **options):
        recorded = record_changes()
        pruned = prune_changes()
        if options["verbosity"] > 1 or recorded or pruned:
            self.stdout.write(f"{len(recorded)} changes recorded, {pruned} pruned.")
