"""Move the Redis counting buffer to the database: once, or every N seconds."""

import time

import redis
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from counters import buffer
from counters.models import QuarantinedCount
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
        parser.add_argument(
            "--quarantined",
            action="store_true",
            help="List the buffered counts set aside because the database can "
            "never add them (see /readyz/), and flush nothing.",
        )

    def handle(self, *args, every=None, quarantined=False, **options):
        if quarantined:
            self._list_quarantined()
            return
        if every is not None and every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        if not buffer.enabled():
            if every is None:
                raise CommandError("REDIS_URL is not set: counts go to the database.")
            # One process list for every setup (Procfile, compose): without
            # Redis there is nothing to flush, so wait to be stopped.
            self.stdout.write("REDIS_URL is not set: nothing to flush; idle.")
            while True:
                time.sleep(3600)
        while True:
            try:
                applied = flush_buffer()
            except redis.RedisError as error:
                if every is None:
                    raise CommandError(f"Redis unreachable: {error}") from error
                self.stderr.write(f"Redis unreachable ({error}); retrying.")
            except DatabaseError as error:
                # A lock held past the busy timeout, a database restart: the
                # bucket stays in Redis (docs/counting.md) for the next pass.
                if every is None:
                    raise CommandError(f"Database error: {error}") from error
                self.stderr.write(f"Database error ({error}); retrying.")
                close_old_connections()
            else:
                if options["verbosity"] > 1 or (every is None and applied):
                    self.stdout.write(f"Applied {applied} buffered bucket(s).")
            if every is None:
                return
            time.sleep(every)

    def _list_quarantined(self) -> None:
        rows = QuarantinedCount.objects.order_by("at", "pk")
        for row in rows:
            self.stdout.write(
                f"{row.at.isoformat()} bucket {row.bucket_id} {row.field} "
                f"+{row.amount}: {row.reason}"
            )
        self.stdout.write(f"{len(rows)} quarantined count(s).")
