"""Scale-out under load (``make scale``): the topology of docs/deploy.md on
loopback ports, driven by wrk.

Starts, in order, the tiers (``--tiers``, all by default; ``bench.scale_tiers``:
Redis, a primary of its own with a streaming replica, PgBouncer in front of the
primary, a moto S3 server holding the media), ``--instances`` gunicorns
(``--workers`` sync workers each) on the PostgreSQL dataset of ``--articles``
articles (``bench.dataset``, built once and kept on the shared server; copied to
the replica tier's primary), Varnish in front of them (deploy/varnish/default.vcl,
round robin) and two counting flushers (``harness.cluster``). Then, with
``--connections`` connections for ``--seconds`` each:

1. ``static``: Varnish answering an object of the list's size that it made
   itself (the tier's floor);
2. ``varnish list``: the article list through Varnish (ratio to 1.; 1. and 2.
   alternate ``--runs`` times, the best of each kept);
3. ``varnish mix``: list, details by id and slug, searches and category lists
   through Varnish while an editor publishes an edit every ``--publish-every``
   seconds: the hit ratio, and the time from each publish's commit to the
   fresh answer through Varnish;
4. ``direct mix``: the same reads on one instance, without Varnish (the app's
   own answer cache; the single-instance figure);
5. ``views POST``: counting through Varnish (passed to the apps), every
   request a new visitor; then an exact pass: ``--visitors`` new visitors and
   as many repeats from 16 threads, the buffer flushed by both flushers, the
   database's count compared with the answers (lost, doubled).

PostgreSQL's server connections to the dataset on the primary in use and on
the replica (``pg_stat_activity``, not through PgBouncer) are sampled
throughout. With the S3 tier, the edited article's images are fetched from
the URLs its answer names. Prints a table and writes ``bench/scale.json``.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg

from bench import dataset
from bench.api import LIST, SEARCHES, machine
from bench.api import wrk as wrk_paths
from bench.counting import run_wrk as wrk_counting
from bench.scale_tiers import TIERS, TIMINGS, chosen, server_urls
from harness.cluster import cluster
from harness.faults import wait_flushed
from harness.server import ROOT
from harness.varnish import STATIC_PATH

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
#: Seconds a publish waits for its fresh answer through Varnish, at most.
FRESH_WAIT = 30

PREPARE = """
import json, sys
from django.test import Client
from api.representation import build_documents
from articles.selectors import visible_articles
from articles.models import CategoryPage
rows = list(visible_articles().order_by('pk').values_list('pk', 'slug'))
rows = rows[:: max(1, len(rows) // 100)][:101]
list(build_documents(article_ids=[pk for pk, _ in rows]))
client = Client(HTTP_HOST='127.0.0.1')
size = len(client.get(%(list)r).content)
categories = list(CategoryPage.objects.live().values_list('slug', flat=True))
print(json.dumps({'rows': rows, 'list_bytes': size, 'categories': categories}))
"""

PUBLISHER = """
import json, sys, time
import django
django.setup()
from articles.models import ArticlePage
print('ready', flush=True)
for line in sys.stdin:
    pk, title = json.loads(line)
    page = ArticlePage.objects.get(pk=pk)
    page.title = title
    page.save_revision().publish()
    print(json.dumps(time.time()), flush=True)
"""


def prepare(env: dict) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n" + PREPARE % {"list": LIST},
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class Publisher:
    """An editor in a process of its own (its purges go from there), publishing
    an edit of one article when asked; the time of each commit."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-c", PUBLISHER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def publish(self, pk: int, title: str) -> float:
        self.process.stdin.write(json.dumps([pk, title]) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def title_at(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())["title"]


@contextmanager
def publishing(
    publisher: Publisher,
    *,
    base: str,
    pk: int,
    every: float,
    direct: list[str],
    replica_url: str = "",
):
    """Publish an edit of article ``pk`` every ``every`` seconds while the
    block runs; yields the list of seconds from each commit to the first
    fresh answer seen through ``base``, and, for each publish given up on,
    where the new title shows (each instance asked directly, the replica)
    and the stale answer's ``Age`` in Varnish."""
    delays: list[float] = []
    stale: list[dict] = []
    stop = threading.Event()

    def where(title: str) -> dict:
        found = {
            "instances": [
                title_at(f"{url}/api/v1/articles/{pk}/") == title for url in direct
            ]
        }
        with urllib.request.urlopen(f"{base}/api/v1/articles/{pk}/") as response:
            # how long Varnish has kept the stale answer: when it was fetched
            found["varnish_age_s"] = int(response.headers.get("Age", -1))
        if replica_url:
            with psycopg.connect(replica_url) as conn:
                row = conn.execute(
                    "SELECT title FROM wagtailcore_page WHERE id = %s", [pk]
                ).fetchone()
            found["replica_row"] = row[0] == title
        return found

    def run():
        n = 0
        while not stop.is_set():
            n += 1
            title = f"Bài đo tải, bản sửa {n} ({time.time_ns()})"
            committed = publisher.publish(pk, title)
            while title_at(f"{base}/api/v1/articles/{pk}/") != title:
                if time.time() - committed > FRESH_WAIT:
                    stale.append(where(title))
                    break
                time.sleep(0.01)
            delays.append(time.time() - committed)
            stop.wait(every)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield delays, stale
    finally:
        stop.set()
        thread.join(timeout=60)


@contextmanager
def connections_sampled(database_urls: dict[str, str]):
    """The most client connections to each named database seen while the
    block runs (``pg_stat_activity``, every 0.2 s, this sampler left out)."""
    seen = dict.fromkeys(database_urls, 0)
    stop = threading.Event()

    def run():
        conns = {
            name: psycopg.connect(url, autocommit=True)
            for name, url in database_urls.items()
        }
        try:
            while not stop.wait(0.2):
                for name, conn in conns.items():
                    count = conn.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE "
                        "datname = current_database() AND pid <> pg_backend_pid() "
                        # not autovacuum's (busy after a restore)
                        "AND backend_type = 'client backend'"
                    ).fetchone()[0]
                    seen[name] = max(seen[name], count)
        finally:
            for conn in conns.values():
                conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(timeout=10)


def stored_views(database_url: str, pk: int) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT views FROM counters_pageviewcount WHERE page_id = %s", [pk]
        ).fetchone()
    return row[0] if row else 0


def count_exactly(base: str, pk: int, *, visitors: int, prefix: str) -> Counter:
    """Each of ``visitors`` new visitors POSTs a view, then each again: the
    answers (``counted`` / ``counted before`` / other)."""
    netloc = urllib.parse.urlsplit(base).netloc
    local = threading.local()

    def post(visitor: str) -> str:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(netloc, timeout=30)
        local.conn.request(
            "POST",
            f"/api/v1/articles/{pk}/views/",
            headers={
                "User-Agent": BROWSER,
                "X-Visitor-Id": visitor,
                "Content-Length": "0",
            },
        )
        response = local.conn.getresponse()
        body = response.read()
        if response.status != 200:
            return f"status {response.status}"
        return "counted" if json.loads(body)["counted"] else "counted before"

    names = [f"{prefix}-{n:06}" for n in range(visitors)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = Counter(pool.map(post, names + names))
    return answers


def wrk_row(result: dict) -> dict:
    return {
        key: result[key]
        for key in ("rps", "p50_ms", "p99_ms", "requests", "errors", "socket_errors")
        if key in result
    }


def s3_images(base: str, pk: int, *, endpoint: str) -> dict:
    """The edited article's feature image and renditions as its answer names
    them: how many are on the S3 endpoint, and fetched from there."""
    with urllib.request.urlopen(f"{base}/api/v1/articles/{pk}/", timeout=10) as r:
        image = json.loads(r.read())["feature_image"] or {}
    urls = [image.get("url")] + [
        (found or {}).get("url") for found in image.get("renditions", {}).values()
    ]
    urls = [url for url in urls if url]
    fetched = 0
    for url in urls:
        if url.startswith(endpoint):
            with urllib.request.urlopen(url, timeout=10) as response:
                fetched += response.status == 200 and len(response.read()) > 0
    on_s3 = sum(url.startswith(endpoint) for url in urls)
    return {"urls": len(urls), "on_s3": on_s3, "fetched": fetched, "example": urls[0]}


def hit_ratio(before: dict, after: dict) -> float:
    hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
    misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
    return round(hits / max(1, hits + misses), 4)


def run(args) -> dict:
    env = dataset.ensure(articles=args.articles, database_url=args.database_url)
    prepared = prepare(env)
    rows = prepared["rows"]
    edited, counted_pk, exact_pk = rows[0][0], rows[1][0], rows[2][0]
    reads = [
        LIST,
        *(f"/api/v1/articles/{pk}/" for pk, _ in rows[:100]),
        *(f"/api/v1/articles/slug/{slug}/" for _, slug in rows[:100]),
        *(f"/api/v1/articles/?search={q.replace(' ', '+')}" for q in SEARCHES),
        *(f"/api/v1/articles/?category={slug}" for slug in prepared["categories"]),
    ]
    load = {"seconds": args.seconds, "connections": args.connections}
    tiers = chosen(args.tiers, pool_size=args.pool_size)
    report: dict = {"cases": {}}
    cases = report["cases"]
    started = time.monotonic()
    with (
        cluster(
            env=env,
            instances=args.instances,
            workers=args.workers,
            flushers=2,
            tiers=tiers,
            static_bytes=prepared["list_bytes"],
            gunicorn_args=("--access-logfile", "/dev/null"),
            settings="bench.settings",
        ) as running,
        connections_sampled(server_urls(running.env)) as connections,
    ):
        base, cache = running.url, running.varnish
        # Through the pooler when there is one: the sampler counts the app's.
        primary = running.env["DATABASE_URL"]
        publisher = Publisher(running.env)
        try:
            # The first publish of a process is slow (imports, first queries):
            # not timed, and before the answers are kept.
            publisher.publish(edited, "Bài đo tải")
            print(f"  up in {time.monotonic() - started:.0f} s", file=sys.stderr)
            for path in reads:  # every answer built once, kept by Varnish
                urllib.request.urlopen(base + path, timeout=60).read()
            # Alternated, the better of each kept: the machine's load moves.
            for _ in range(args.runs):
                for name, path in (("static", STATIC_PATH), ("varnish list", LIST)):
                    row = wrk_row(wrk_paths(base, [path], **load))
                    if row["rps"] > cases.get(name, {}).get("rps", 0):
                        cases[name] = row
            before = cache.stats()
            with publishing(
                publisher,
                base=base,
                pk=edited,
                every=args.publish_every,
                direct=[app.url for app in running.apps],
                replica_url=running.env.get("DATABASE_REPLICA_URL", ""),
            ) as (delays, stale):
                cases["varnish mix"] = wrk_row(wrk_paths(base, reads, **load))
            cases["varnish mix"]["hit_ratio"] = hit_ratio(before, cache.stats())
            report["publish_to_fresh_s"] = [round(d, 3) for d in delays]
            report["stale_after_wait"] = stale
            if running.env.get("AWS_S3_ENDPOINT_URL"):
                report["s3_images"] = s3_images(
                    base, edited, endpoint=running.env["AWS_S3_ENDPOINT_URL"]
                )
            direct = running.apps[0].url
            for path in reads:
                urllib.request.urlopen(direct + path, timeout=60).read()
            cases["direct mix"] = wrk_row(wrk_paths(direct, reads, **load))
            url = f"{base}/api/v1/articles/{counted_pk}/views/"
            cases["views POST"] = wrk_row(wrk_counting(url, **load))
            wait_flushed(running.env["REDIS_URL"])
            views_before = stored_views(primary, exact_pk)
            answers = count_exactly(
                base, exact_pk, visitors=args.visitors, prefix=f"scale-{time.time_ns()}"
            )
            wait_flushed(running.env["REDIS_URL"])
            added = stored_views(primary, exact_pk) - views_before
        finally:
            publisher.stop()
    report["counting"] = {
        "visitors": args.visitors,
        "answers": dict(answers),
        "stored": added,
        "lost": max(0, answers["counted"] - added),
        "doubled": max(0, added - answers["counted"]),
    }
    report["pg_server_connections_max"] = connections
    report["ratios"] = {
        "varnish list / static": round(
            cases["varnish list"]["rps"] / cases["static"]["rps"], 2
        ),
        "varnish mix / direct mix": round(
            cases["varnish mix"]["rps"] / cases["direct mix"]["rps"], 2
        ),
    }
    report["setup"] = {
        "articles": args.articles,
        "instances": args.instances,
        "workers": args.workers,
        "tiers": args.tiers,
        "pool_size": args.pool_size if "pgbouncer" in args.tiers else None,
        "tier_seconds": TIMINGS,
        "connections": args.connections,
        "seconds": args.seconds,
        "runs": args.runs,
        "list_bytes": prepared["list_bytes"],
        "reads": len(reads),
        "wall_seconds": round(time.monotonic() - started),
    }
    report["machine"] = machine()
    return report


def print_report(report: dict) -> None:
    setup = report["setup"]
    print(
        f"\n{setup['articles']} articles on PostgreSQL, {setup['instances']} "
        f"instances x {setup['workers']} sync workers behind Varnish, tiers: "
        f"{setup['tiers'] or '-'}; wrk {setup['connections']} connections, "
        f"{setup['seconds']} s each; {report['machine']['date']}"
    )
    print(f"{'case':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}  hits")
    for name, row in report["cases"].items():
        print(
            f"{name:<14}{row['rps']:>9.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
            f"{row['errors']:>9}  {row.get('hit_ratio', '')}"
        )
    delays = sorted(report["publish_to_fresh_s"])
    if delays:
        print(
            f"publish -> fresh through Varnish: {len(delays)} publishes, "
            f"median {delays[len(delays) // 2]:.3f} s, max {delays[-1]:.3f} s"
        )
        stale = sum(delay > FRESH_WAIT for delay in delays)
        if stale:
            print(
                f"  {stale} of them still stale after {FRESH_WAIT} s (given up); "
                f"fresh then on: {report['stale_after_wait']}"
            )
    counting = report["counting"]
    print(
        f"counting exact pass: {counting['answers']}, stored {counting['stored']}: "
        f"lost {counting['lost']}, doubled {counting['doubled']}"
    )
    servers = report["pg_server_connections_max"]
    pool = f" (PgBouncer pool {setup['pool_size']})" if setup["pool_size"] else ""
    print(
        "PostgreSQL server connections (max): "
        + ", ".join(f"{name} {count}" for name, count in servers.items())
        + pool
    )
    if "s3_images" in report:
        images = report["s3_images"]
        print(
            f"S3 media: the edited article's {images['urls']} image URLs, "
            f"{images['on_s3']} on moto, {images['fetched']} fetched from there "
            f"(e.g. {images['example']})"
        )
    if setup["tier_seconds"]:
        print(f"tiers started: {setup['tier_seconds']} (seconds)")
    for name, value in report["ratios"].items():
        print(f"{name:<28}{value:>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--runs", type=int, default=2, help="of static and list")
    parser.add_argument("--publish-every", type=float, default=2.0)
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument(
        "--tiers", default=",".join(TIERS), help=f"of {', '.join(TIERS)}"
    )
    parser.add_argument(
        "--pool-size", type=int, default=6, help="PgBouncer's server connections"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsdesk_scale"
        ),
        help="a PostgreSQL server database; the dataset lives beside it",
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "scale.json"))
    args = parser.parse_args()
    if "redis" not in args.tiers.split(","):
        parser.error("--tiers needs redis (the shared cache and counting buffer)")
    if unknown := set(filter(None, args.tiers.split(","))) - set(TIERS):
        parser.error(f"unknown --tiers: {', '.join(sorted(unknown))}")
    report = run(args)
    print_report(report)
    Path(args.output).write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )


if __name__ == "__main__":
    main()
