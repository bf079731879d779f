"""Time ``import_legacy`` on generated dumps, on a fresh temporary SQLite database.

    DEBUG=1 python bench/import_legacy.py --dumps 1000

Prints the wall-clock time of the import (and of a second, unchanged run);
exits non-zero if any file failed. The target is 1,000 dumps in under 60 s.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dumps", type=int, default=1000, help="how many dumps")
    parser.add_argument("--profile", type=Path, help="write cProfile stats here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        work = Path(tmp)
        # Before Django loads its settings: a database and media of our own.
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
        os.environ["MEDIA_ROOT"] = str(work / "media")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
        sys.path.insert(0, str(ROOT))

        import django

        django.setup()
        from django.core.management import call_command

        from articles.importers.run import Outcome, import_dumps
        from bench.legacy_dumps import write_dumps

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        paths = write_dumps(work / "dumps", count=args.dumps)
        size = sum(path.stat().st_size for path in paths) / len(paths)
        print(f"{len(paths)} dumps, {size / 1024:.1f} kB each on average")

        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        report = import_dumps(paths=[work / "dumps"])
        elapsed = time.perf_counter() - started
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        print(
            f"first run: {elapsed:.1f} s ({elapsed / len(paths) * 1000:.1f} ms/dump), "
            f"created {report.count(Outcome.CREATED)}, "
            f"failed {report.count(Outcome.FAILED)}"
        )
        for result in report.failed[:10]:
            print(f"  FAILED {result.path.name}: {result.reason}")

        started = time.perf_counter()
        again = import_dumps(paths=[work / "dumps"])
        elapsed_again = time.perf_counter() - started
        print(
            f"second run: {elapsed_again:.1f} s, "
            f"unchanged {again.count(Outcome.UNCHANGED)} of {len(paths)}"
        )
        ok = (
            not report.failed
            and report.count(Outcome.CREATED) == len(paths)
            and again.count(Outcome.UNCHANGED) == len(paths)
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
