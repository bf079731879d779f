"""Run management commands every N seconds, for the process list of a
deployment (Procfile, compose): ``manage.py repeat --every 60
publish_scheduled + record_changes``.

One long-lived process instead of cron: the commands run in this process (no
interpreter start-up per run), in order, each with its own arguments (``+``
separates them); a failed run is logged and the next one tries again, and
SIGTERM stops it at once.
"""

import argparse
import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

SEPARATOR = "+"


class Command(BaseCommand):
    help = "Run COMMAND [+ COMMAND ...] every SECONDS (until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, required=True, metavar="SECONDS")
        parser.add_argument("command", help="the management command to run")
        parser.add_argument(
            "args",
            nargs=argparse.REMAINDER,
            help="its arguments and options; '+ COMMAND ...' for more commands",
        )

    def handle(self, *args, every, command, **options):
        if every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        commands = _split([command, *args])
        for name, _arguments in commands:
            if name not in get_commands():
                raise CommandError(f"Unknown command: {name!r}.")
        while True:
            for name, arguments in commands:
                close_old_connections()
                try:
                    call_command(name, *arguments)
                except Exception as error:  # the next run tries again
                    self.stderr.write(f"{name} failed ({error!r}); trying again.")
            time.sleep(every)


def _split(words: list[str]) -> list[tuple[str, list[str]]]:
    commands, current = [], []
    for word in [*words, SEPARATOR]:
        if word != SEPARATOR:
            current.append(word)
        elif current:
            commands.append((current[0], current[1:]))
            current = []
        else:
            raise CommandError(f"A command is missing around {SEPARATOR!r}.")
    return commands
