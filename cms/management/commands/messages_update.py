"""Merge Wagtail's and newsdesk's messages into locale/vi (see docs/i18n.md)."""

from django.core.management.base import BaseCommand

from cms.i18n.update import update_all


class Command(BaseCommand):
    help = (
        "Add every message of the admin's Wagtail catalogs and of newsdesk's own "
        "code to locale/vi/LC_MESSAGES/*.po, keeping existing translations."
    )

    def handle(self, *args, **options):
        for result in update_all():
            self.stdout.write(
                f"{result.domain}.po: {len(result.added)} new "
                f"({len(result.suggested)} with Wagtail's translation as a fuzzy "
                f"suggestion), {len(result.obsoleted)} obsolete"
            )
