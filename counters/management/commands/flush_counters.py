"""Move the Redis counting buffer to the database: once, or every N seconds."""

import time

import redis
from django.core.management.base import BaseCommand, CommandError

from counters import buffer
from counters.services import flush_buffer


class Command(BaseCommand):
    help = "Move counts buffered in Redis to the database (needs REDIS_URL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep flushing, pausing SECONDS between passes (until stopped).",
        )

    def handle(self, *args, every=None, **options):
        if not buffer.enabled():
            raise CommandError("REDIS_URL is not set: counts go to the database.")
        if every is not None and every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        while True:
            try:
                applied = flush_buffer()
            except redis.RedisError as error:
                if every is None:
                    raise CommandError(f"Redis unreachable: {error}") from error
                self.stderr.write(f"Redis unreachable ({error}); retrying.")
            else:
                if options["verbosity"] > 1 or (every is None and applied):
                    self.stdout.write(f"Applied {applied} buffered bucket(s).")
            if every is None:
                return
            time.sleep(every)
