"""``manage.py webhooks add URL --events a,b [--secret whsec_...]``,
``webhooks list`` and ``webhooks requeue`` (what the scheduler runs: queue
again deliveries that are due and have no task)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.changes import EVENTS
from webhooks import services
from webhooks.models import Endpoint


class Command(BaseCommand):
    help = "Add and list webhooks; queue again deliveries that are due."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="Add an active webhook.")
        add.add_argument("url")
        add.add_argument(
            "--events",
            required=True,
            help=f"Comma-separated, some of: {', '.join(EVENTS)}.",
        )
        add.add_argument(
            "--secret", default="", help="whsec_ and base64 (made when left out)."
        )
        commands.add_parser("list", help="The webhooks (secrets not shown).")
        commands.add_parser("requeue", help="Queue again deliveries that are due.")

    def handle(self, *args, action, **options):
        if action == "add":
            events = [e.strip() for e in options["events"].split(",") if e.strip()]
            try:
                endpoint = services.add_endpoint(
                    url=options["url"], events=events, secret=options["secret"]
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(f"Added webhook {endpoint.pk}: {endpoint.url}")
            if not options["secret"]:
                self.stdout.write(f"Secret (shown once): {endpoint.secret}")
        elif action == "list":
            for endpoint in Endpoint.objects.all():
                state = "active" if endpoint.active else "inactive"
                events = ",".join(endpoint.events)
                self.stdout.write(f"{endpoint.pk}\t{state}\t{endpoint.url}\t{events}")
        else:
            count = services.requeue_due()
            if count or options["verbosity"] > 1:
                self.stdout.write(f"{count} deliveries queued again.")
