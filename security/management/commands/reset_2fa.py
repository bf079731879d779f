"""``manage.py reset_2fa USERNAME``: remove a user's second factors (a lost
phone and no recovery code left); they set up a new one at their next
sign-in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from security import two_factor


class Command(BaseCommand):
    help = "Remove a user's two-factor devices and recovery codes."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        removed = two_factor.reset(user=user)
        self.stdout.write(
            f"{removed} device(s) removed; {username} sets up two-factor "
            "authentication at the next sign-in."
        )
