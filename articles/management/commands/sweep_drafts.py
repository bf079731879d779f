"""``manage.py sweep_drafts``: delete new articles only Wagtail's autosave ever
saved, abandoned for more than ``AUTOSAVE_DRAFT_MAX_AGE_HOURS``
(``articles.drafts.sweep_abandoned_drafts``). The scheduler runs it every minute
(Procfile, docker-compose.yml)."""

from django.core.management.base import BaseCommand

from articles.drafts import sweep_abandoned_drafts


class Command(BaseCommand):
    help = "Delete abandoned autosave drafts older than AUTOSAVE_DRAFT_MAX_AGE_HOURS."

    def handle(self, *args, **options):
        deleted = sweep_abandoned_drafts()
        if options["verbosity"] > 1 or deleted:
            self.stdout.write(f"{deleted} abandoned autosave drafts deleted.")
