"""``manage.py restore FOLDER [--no-input]``, or ``--check`` to verify a
backup without restoring it (``cms.backups``; docs/deploy.md, Backup and
restore)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into DATABASE_URL and "
        "MEDIA_ROOT (replacing what they hold), or --check it."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the backup (checksums, dump readable); change nothing.",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Do not ask for confirmation."
        )

    def handle(self, *args, folder, check=False, no_input=False, **options):
        try:
            if check:
                manifest = backups.verify(source=folder)
                self.stdout.write(
                    f"Backup of {manifest['created_at']} is whole: "
                    f"{', '.join(manifest['sha256'])}."
                )
                return
            if not no_input:
                answer = input(
                    "This replaces the database and the media with the backup. "
                    "Type 'yes' to go on: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Nothing restored.")
            done = backups.restore(source=folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for note in done.notes:
            self.stdout.write(note)
        self.stdout.write(f"Restored the backup of {done.manifest['created_at']}.")
