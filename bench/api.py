"""The read API under load, beside Wagtail's API v2 and the floor (``make bench``).

One run, on one dataset (``bench.dataset``), with gunicorn (2 sync workers,
``DEBUG`` off) and wrk from this process on loopback:

- ours, cold: list (``page_size=20``), detail by id, detail by slug, search,
  the RSS and JSON feeds (20 articles each, as the list), the change feed
  (``limit=20`` from cursors spread over it; never cached), with the
  server-side response cache off (``API_RESPONSE_CACHE_SECONDS=0``:
  every request builds its answer); and ``POST .../views/`` (a new visitor each);
- Wagtail's API v2 list (20) and detail, same data, equivalent fields
  (``NEWSDESK_WAGTAIL_API_V2=1``, bench/wagtail_api.py);
- the floor: a bare Django view answering our list's bytes through the same
  middleware, and a raw WSGI app answering them (bench/urls.py, bench/wsgi.py);
- ours, warm: the same four reads on a second server with the cache on (Redis
  when ``--redis-url``), after one request to each URL.

Detail and search requests rotate over 100 articles and a few queries. Every
figure is measured twice. SQL queries per request come from separate requests
through Django's test client (``CaptureQueriesContext``), never the timed runs.
Writes a table to stdout and ``bench/results.json``.
"""

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench import dataset
from harness.server import ROOT, served
from harness.wrk import run as run_wrk

SEARCHES = ("hoi nghi", "ket nap dang vien", "giao thong", "hien mau", "phuong 10")
LIST = "/api/v1/articles/?page_size=20"
CHANGES = "/api/v1/changes/?limit=20"
#: The feeds: the latest 20 articles each (api.feeds.FEED_LENGTH), as LIST.
FEEDS = {
    "feed_rss": "/api/v1/feeds/articles.rss",
    "feed_json": "/api/v1/feeds/articles.json",
}
WAGTAIL = "/bench/wagtail-v2/pages/"
# The summary's fields, as our list (no body); the detail has them all.
WAGTAIL_LIST = (
    f"{WAGTAIL}?type=articles.ArticlePage&limit=20&order=-published_at&fields="
    "published_at,last_published_at,excerpt,tags,feature_image,"
    "feature_image_thumbnail,feature_image_medium,feature_image_large"
)

LUA = """
local paths = {%(paths)s}
local method = "%(method)s"
local prefix = "%(prefix)s"
local encoding = "%(encoding)s"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
function request()
  n = n + 1
  local headers = {["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
  if encoding ~= "" then headers["Accept-Encoding"] = encoding end
  if method == "POST" then headers["X-Visitor-Id"] = prefix .. tid .. "-" .. n end
  return wrk.format(method, paths[(n %% #paths) + 1], headers)
end
"""


def wrk(
    base: str,
    paths: list[str],
    *,
    method="GET",
    encoding="",
    seconds: int,
    connections: int,
):
    script = LUA % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "method": method,
        "prefix": f"bench-{time.time_ns()}-",
        "encoding": encoding,
    }
    return run_wrk(
        base + paths[0],
        script=script,
        seconds=seconds,
        connections=connections,
        threads=min(2, connections),
    )


def fetch(url: str, *, method="GET", gzip_ok=False) -> tuple[int, bytes, dict]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    request = urllib.request.Request(url, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read(), dict(response.headers)


def sizes(base: str, path: str) -> dict:
    """Bytes of the answer, and on the wire when the client accepts gzip."""
    _, body, _ = fetch(base + path)
    _, wire, headers = fetch(base + path, gzip_ok=True)
    compressed = headers.get("Content-Encoding") == "gzip"
    return {
        "bytes": len(body),
        "wire_gzip_bytes": len(wire),
        "server_gzips": compressed,
        "gzip_would_be": len(gzip.compress(body, 6)),
    }


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().split()[1]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 2**20, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


# --- SQL queries per request (separate, instrumented requests) -------------


def query_counts(env: dict, cases: dict[str, dict]) -> dict[str, int]:
    """Queries per request of each case, cold (empty cache) and warm, through
    the test client in a child process with the dataset's settings."""
    code = (
        "import json, sys\n"
        "from bench.api import _count_queries\n"
        "print(json.dumps(_count_queries(json.loads(sys.stdin.read()))))\n"
    )
    spec = {
        name: {k: c[k] for k in ("path", "method", "warm")} for name, c in cases.items()
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env={**os.environ, **env},
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _count_queries(spec: dict) -> dict:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, case in spec.items():
        call = client.post if case["method"] == "POST" else client.get
        headers = {"HTTP_X_VISITOR_ID": f"count-{time.time_ns()}"}
        if case["warm"]:
            call(case["path"], **headers)  # fill the cache first
        else:
            caches["default"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = call(case["path"], **headers)
        assert response.status_code < 300, (name, response.status_code)
        counts[name] = len(queries)
    return counts


# --- The run ------------------------------------------------------------------


def sample_articles(env: dict, n: int = 100) -> tuple[list[int], list[str], list[str]]:
    """Ids and slugs of ``n`` visible articles spread over the dataset, with
    their stored detail documents made, as each one's first read (or
    ``manage.py build_article_documents``) makes them; and change feed
    cursors spread over the changes, recorded first as the scheduler's
    ``record_changes`` would (the dataset is written without signals)."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup()\n"
            "from api.change_feed import encode_cursor\n"
            "from api.representation import build_documents\n"
            "from articles.changes import record_changes\n"
            "from articles.models import Change\n"
            "from articles.selectors import visible_articles\n"
            "record_changes()\n"
            "rows = list(visible_articles().order_by('pk').values_list('pk', 'slug'))\n"
            f"rows = rows[:: max(1, len(rows) // {n})][:{n}]\n"
            "list(build_documents(article_ids=[pk for pk, _ in rows]))\n"
            "seqs = Change.objects.order_by('seq').values_list('seq', flat=True)\n"
            "seqs = list(seqs)\n"
            f"seqs = seqs[:: max(1, len(seqs) // {n})][:{n}]\n"
            "cursors = [encode_cursor(seq, pruned_through=0) for seq in seqs]\n"
            "print(json.dumps([rows, cursors]))",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows, cursors = json.loads(out.strip().splitlines()[-1])
    return [r[0] for r in rows], [r[1] for r in rows], cursors


def run_cases(server, cases: dict, names: list[str], args, results: dict) -> None:
    for name in names:
        case = cases[name]
        if case["method"] == "GET":
            # Warm: fills the answer cache. Cold: makes the stored documents
            # of the articles shown (lists and searches included), as each
            # one's first read does; the answers themselves are built anew.
            for path in case["paths"]:
                fetch(server.url + path)
        runs = [
            wrk(
                server.url,
                case["paths"],
                method=case["method"],
                encoding=case.get("encoding", ""),
                seconds=args.seconds,
                connections=args.connections,
            )
            for _ in range(args.runs)
        ]
        results[name] = {
            "path": case["path"],
            "runs": runs,
            "rps": round(sum(r["rps"] for r in runs) / len(runs), 1),
            "p50_ms": _median(r["p50_ms"] for r in runs),
            "p99_ms": round(max(r["p99_ms"] for r in runs), 2),
            "errors": sum(r["errors"] for r in runs),
        }
        if case["latency"]:
            # One connection per worker: every worker busy, no request queued
            # behind another, so p50 is the time a request takes, not the
            # length of the queue (with 8 connections on 2 sync workers a
            # request waits for about three others: p50 = 8 / throughput).
            unqueued = [
                wrk(
                    server.url,
                    case["paths"],
                    seconds=args.seconds,
                    connections=args.workers,
                )
                for _ in range(args.runs)
            ]
            results[name]["unqueued"] = {
                "connections": args.workers,
                "runs": unqueued,
                "rps": round(sum(r["rps"] for r in unqueued) / len(unqueued), 1),
                "p50_ms": _median(r["p50_ms"] for r in unqueued),
                "p99_ms": round(max(r["p99_ms"] for r in unqueued), 2),
            }
            results[name]["errors"] += sum(r["errors"] for r in unqueued)
        results[name]["worker_peak_rss_mb"] = round(server.worker_peak_rss_mb(), 1)
        if case["method"] == "GET":
            results[name].update(sizes(server.url, case["path"]))
        print(f"  {name}: {results[name]['rps']:.0f} req/s", file=sys.stderr)


def _median(values) -> float:
    values = sorted(values)
    return round(values[len(values) // 2], 2)


def build_cases(ids: list[int], slugs: list[str], cursors: list[str]) -> dict:
    def case(paths, *, warm=False, method="GET", latency=False):
        return {
            "paths": paths,
            "path": paths[0],
            "warm": warm,
            "method": method,
            "latency": latency,
        }

    searches = [f"/api/v1/articles/?search={q.replace(' ', '+')}" for q in SEARCHES]
    ours = {
        "list": case([LIST]),
        "detail_id": case([f"/api/v1/articles/{pk}/" for pk in ids]),
        "detail_slug": case([f"/api/v1/articles/slug/{s}/" for s in slugs]),
        "search": case(searches),
        **{name: case([path]) for name, path in FEEDS.items()},
    }
    # A page of 20 changes from cursors all over the feed, as apps syncing
    # ask; never kept in the answer cache, so it has no warm case.
    changes = case([f"{CHANGES}&since={cursor}" for cursor in cursors])
    # The latency goals (p50 at 100,000 articles) are read unqueued too.
    cases = {f"{name} cold": {**c, "latency": True} for name, c in ours.items()}
    cases["changes cold"] = {**changes, "latency": True}
    cases["views POST"] = case([f"/api/v1/articles/{ids[0]}/views/"], method="POST")
    cases["wagtail v2 list"] = case([WAGTAIL_LIST], latency=True)
    cases["wagtail v2 detail"] = case([f"{WAGTAIL}{pk}/" for pk in ids], latency=True)
    cases["floor django"] = case(["/api/bench-floor/"])
    cases["floor raw wsgi"] = case(["/bench/raw/"])
    cases.update({f"{name} warm": {**c, "warm": True} for name, c in ours.items()})
    # Warm answers are too quick to queue long; their goal is throughput.
    # As a mobile app asks: the cached gzip bytes, sent as they are.
    cases["list warm gzip"] = {**ours["list"], "warm": True, "encoding": "gzip"}
    return cases


RATIOS = {
    # ours / Wagtail v2 (goal >= 3, cold)
    "list cold / wagtail v2 list": ("list cold", "wagtail v2 list"),
    # The change feed within the list's cold-read budget (goal >= 1).
    "changes cold / list cold": ("changes cold", "list cold"),
    "detail_id cold / wagtail v2 detail": ("detail_id cold", "wagtail v2 detail"),
    # the feeds against the list (20 articles each), cold: the same budget
    "feed_rss cold / list cold": ("feed_rss cold", "list cold"),
    "feed_json cold / list cold": ("feed_json cold", "list cold"),
    # ours / floor (goal >= 0.5, warm)
    "list warm / floor django": ("list warm", "floor django"),
    "detail_id warm / floor django": ("detail_id warm", "floor django"),
    "list warm / floor raw wsgi": ("list warm", "floor raw wsgi"),
    "detail_id warm / floor raw wsgi": ("detail_id warm", "floor raw wsgi"),
}


def print_table(report: dict) -> None:
    info = report["setup"]
    print(
        f"\n{info['articles']} articles, {info['database']}, gunicorn "
        f"{info['workers']} sync workers, wrk {info['connections']} connections, "
        f"{info['seconds']} s x {info['runs']}; {report['machine']['date']}"
        "\n(p50 1/w: p50 with one connection per worker, nothing queued)"
    )
    head = (
        f"{'case':<20}{'req/s':>8}{'runs':>14}{'p50 ms':>8}{'p99 ms':>8}{'p50 1/w':>8}"
        f"{'bytes':>8}{'gzip':>7}{'SQL':>5}{'RSS MB':>8}"
    )
    print(head)
    for name, r in report["cases"].items():
        runs = "/".join(f"{x['rps']:.0f}" for x in r["runs"])
        gz = r.get("wire_gzip_bytes") if r.get("server_gzips") else None
        unqueued = f"{r['unqueued']['p50_ms']:.2f}" if "unqueued" in r else "-"
        print(
            f"{name:<20}{r['rps']:>8.0f}{runs:>14}{r['p50_ms']:>8.2f}"
            f"{r['p99_ms']:>8.2f}{unqueued:>8}{r.get('bytes', ''):>8}{gz or '-':>7}"
            f"{r.get('queries', ''):>5}{r['worker_peak_rss_mb']:>8.1f}"
            + (f"  {r['errors']} non-2xx!" if r["errors"] else "")
        )
    for name, value in report["ratios"].items():
        print(f"{name:<40}{value:>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()

    env = dataset.ensure(
        articles=args.articles, database_url=os.environ.get("DATABASE_URL", "")
    )
    ids, slugs, cursors = sample_articles(env)
    cases = build_cases(ids, slugs, cursors)
    if args.only:
        wanted = set(args.only.split(","))
        cases = {k: v for k, v in cases.items() if k in wanted or "floor" in k}
    floor_file = Path(tempfile.mkstemp(suffix=".json")[1])
    common = {
        **env,
        "BENCH_FLOOR_FILE": str(floor_file),
        "NEWSDESK_WAGTAIL_API_V2": "1",
        "COUNTING_THROTTLE_RATE": "",
    }
    gunicorn = ("--threads", "1", "--worker-class", "sync", "--max-requests", "0")
    gunicorn += ("--access-logfile", "/dev/null")
    results: dict = {}
    started = time.monotonic()
    try:
        cold_env = {**common, "API_RESPONSE_CACHE_SECONDS": "0"}
        with served(
            workers=args.workers,
            dataset=cold_env,
            app="bench.wsgi:application",
            settings="bench.settings",
            gunicorn_args=gunicorn,
        ) as server:
            floor_file.write_bytes(fetch(server.url + LIST)[1])
            names = [n for n, c in cases.items() if not c["warm"]]
            run_cases(server, cases, names, args, results)
        # The raw WSGI app runs no Django and no SQL.
        counted = {n: cases[n] for n in names if n != "floor raw wsgi"}
        queries = {"floor raw wsgi": 0, **query_counts(cold_env, counted)}
        warm_env = {**common, "REDIS_URL": args.redis_url}
        warm = {n: c for n, c in cases.items() if c["warm"]}
        queries.update(query_counts(warm_env, warm))
        with served(
            workers=args.workers,
            dataset=warm_env,
            app="bench.wsgi:application",
            settings="bench.settings",
            gunicorn_args=gunicorn,
        ) as server:
            run_cases(server, cases, list(warm), args, results)
    finally:
        floor_file.unlink(missing_ok=True)
    for name, count in queries.items():
        results[name]["queries"] = count
    ratios = {
        label: round(results[a]["rps"] / results[b]["rps"], 2)
        for label, (a, b) in RATIOS.items()
        if a in results and b in results
    }
    report = {
        "machine": machine(),
        "setup": {
            "articles": args.articles,
            "database": env["DATABASE_URL"].split(":", 1)[0],
            "cache_warm": "redis" if args.redis_url else "database",
            "workers": args.workers,
            "connections": args.connections,
            "seconds": args.seconds,
            "runs": args.runs,
            "wall_seconds": round(time.monotonic() - started),
        },
        "cases": results,
        "ratios": ratios,
    }
    print_table(report)
    Path(args.output).write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )


if __name__ == "__main__":
    main()
