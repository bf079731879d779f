"""Print how much of the admin is in Vietnamese; fail below the thresholds."""

from django.core.management.base import BaseCommand, CommandError

from cms.i18n.coverage import all_coverage


class Command(BaseCommand):
    help = (
        "Per Wagtail catalog the admin uses, and for newsdesk's own strings: message "
        "ids, how many are translated into Vietnamese, and the share."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="List the untranslated msgids."
        )

    def handle(self, *args, missing=False, **options):
        rows = all_coverage()
        width = max(len(row.name) for row in rows)
        self.stdout.write(f"{'catalog':<{width}}  {'ids':>5}  {'vi':>5}  {'share':>7}")
        for row in rows:
            line = (
                f"{row.name:<{width}}  {row.total:>5}  {row.translated:>5}  "
                f"{row.share:>7.1%}"
            )
            style = self.style.SUCCESS if row.ok else self.style.ERROR
            self.stdout.write(
                style(line) + ("" if row.ok else f"  < {row.threshold:.0%}")
            )
            if missing:
                for msgid in row.missing:
                    self.stdout.write(f"    {msgid!r}")
        failing = [row.name for row in rows if not row.ok]
        if failing:
            raise CommandError(f"Below the threshold: {', '.join(failing)}")
