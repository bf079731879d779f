"""``manage.py import_legacy PATH [PATH ...]``: the old portal's article dumps."""

import argparse
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importers.run import (
    MAX_DUMP_BYTES,
    FileResult,
    ImportReport,
    Outcome,
    import_dumps,
)

#: From this many files on, a progress bar is drawn even when stderr is no TTY.
PROGRESS_BAR_FROM = 50


class Command(BaseCommand):
    help = (
        "Import legacy portal dumps (files, or folders searched for *.txt). "
        "Re-running updates in place; exits non-zero when any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--images",
            type=Path,
            metavar="DIR",
            help="folder of photos named <dump-stem>-<n>.<jpg|jpeg|png|webp>, "
            "attached to the n-th caption of that dump",
        )
        parser.add_argument(
            "--max-size",
            type=_megabytes,
            default=MAX_DUMP_BYTES,
            metavar="MB",
            help=f"refuse dumps larger than this many megabytes (default "
            f"{MAX_DUMP_BYTES // 2**20}); a larger file is never read whole",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="parse, check and report what would happen; write nothing",
        )

    def handle(self, *args, paths, images, dry_run, max_size, verbosity, **options):
        if images is not None and not images.is_dir():
            raise CommandError(f"--images {images}: not a folder")
        bar = None

        def start(total: int) -> None:
            nonlocal bar
            bar = tqdm(
                total=total,
                unit="file",
                file=sys.stderr,
                disable=not (total >= PROGRESS_BAR_FROM or sys.stderr.isatty()),
            )

        def done(result: FileResult) -> None:
            if result.outcome is Outcome.FAILED:
                self._write(f"FAILED {result.path}: {result.reason}", bar, self.stderr)
            elif verbosity >= 2:
                self._write(f"{result.outcome} {result.path}: {result.title}", bar)
            for note in result.notes:
                self._write(f"note {result.path}: {note}", bar)
            if bar is not None:
                bar.update(1)

        try:
            report = import_dumps(
                paths=paths,
                images_dir=images,
                dry_run=dry_run,
                on_file=done,
                on_files_found=start,
                max_bytes=max_size,
            )
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(summary(report))
        if report.failed:
            raise CommandError(f"{len(report.failed)} file(s) failed", returncode=1)

    def _write(self, line: str, bar, stream=None) -> None:
        """Write a line without breaking the progress bar."""
        stream = stream or self.stdout
        if bar is not None and not bar.disable:
            bar.clear()
            stream.write(line)
            bar.refresh()
        else:
            stream.write(line)


def _megabytes(value: str) -> int:
    try:
        megabytes = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < megabytes < 2**20:
        raise argparse.ArgumentTypeError("give a size above 0 (megabytes)")
    return int(megabytes * 2**20)


def summary(report: ImportReport) -> str:
    """The closing line(s): counts by outcome and the site visit counter."""
    counts = ", ".join(f"{outcome}: {report.count(outcome)}" for outcome in Outcome)
    lines = [f"{'Dry run (nothing written) — ' if report.dry_run else ''}{counts}"]
    if report.site_visit_count is not None:
        lines.append(f"site visit counter: {report.site_visit_count:,}")
    return "\n".join(lines)
