"""Create a development superuser when none exists (``make run`` only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEV_USERNAME = "admin"
DEV_PASSWORD = "admin"


class Command(BaseCommand):
    help = "Create the development login admin/admin if there is no superuser yet."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a known login with DEBUG off.")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists already; no login created.")
            return
        User.objects.create_superuser(
            DEV_USERNAME, email="admin@example.com", password=DEV_PASSWORD
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Development login created: {DEV_USERNAME} / {DEV_PASSWORD}"
            )
        )
