"""``manage.py backup [--to FOLDER] [--no-flush]``: the counting buffer
flushed, then the database and the media copied into a new folder
(``cms.backups``; docs/deploy.md, Backup and restore)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms import backups


class Command(BaseCommand):
    help = "Back up the database and the media (the counting buffer flushed first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            help="A new (or empty) folder; default backups/<UTC time> here.",
        )
        parser.add_argument(
            "--no-flush",
            action="store_true",
            help="Do not flush the Redis counting buffer first (Redis is down).",
        )

    def handle(self, *args, to=None, no_flush=False, **options):
        try:
            done = backups.backup(
                to=to or backups.default_folder(), flush_counters=not no_flush
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for name in done.manifest["sha256"]:
            self.stdout.write(f"{done.folder / name}")
        for note in done.notes:
            self.stdout.write(note)
        self.stdout.write(f"Backup in {done.folder}")
