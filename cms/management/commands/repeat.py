"""Run a management command every N seconds, for the process list of a
deployment (Procfile, compose): ``manage.py repeat --every 60 publish_scheduled``.

One long-lived process instead of cron: the command runs in this process (no
interpreter start-up per run), a failed run is logged and the next one tries
again, and SIGTERM stops it at once.
"""

import argparse
import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections


class Command(BaseCommand):
    help = "Run COMMAND every SECONDS (until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, required=True, metavar="SECONDS")
        parser.add_argument("command", help="the management command to run")
        parser.add_argument(
            "args", nargs=argparse.REMAINDER, help="its arguments and options"
        )

    def handle(self, *args, every, command, **options):
        if every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        if command not in get_commands():
            raise CommandError(f"Unknown command: {command!r}.")
        while True:
            close_old_connections()
            try:
                call_command(command, *args)
            except Exception as error:  # the next run tries again
                self.stderr.write(f"{command} failed ({error!r}); trying again.")
            time.sleep(every)
