"""Throughput of ``POST /api/v1/articles/{id}/views/`` on real gunicorn.

Compares, with the same server (2 sync workers, one SQLite file):

- ``noop``: ``POST /bench/noop/``, a bare Django view doing nothing (the floor:
  WSGI, middleware, routing);
- ``database``: counting without Redis (dedupe in the database cache table,
  increments in SQLite);
- ``redis``: counting with ``REDIS_URL`` (dedupe ``SET NX EX``, increments into
  the Redis buffer), then one ``flush_counters`` pass.

Every request is a new visitor, so every request is counted (the worst case).
Uses ``wrk`` when installed, else a bounded Python load loop. Loopback only,
bounded in time::

    python -m bench.counting --seconds 10 --connections 16 \
        --redis-url redis://127.0.0.1:6379/3
"""

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

from harness import wrk
from harness.server import ROOT, served

WRK_SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)  -- a global in the thread's own Lua state
end
local n = 0
function request()
  n = n + 1
  return wrk.format("POST", nil, {
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    ["X-Visitor-Id"] = "%(prefix)s-" .. tid .. "-" .. n,
  })
end
"""


def run_wrk(url: str, *, seconds: int, connections: int) -> dict:
    result = wrk.run(
        url,
        script=WRK_SCRIPT % {"prefix": uuid.uuid4().hex[:12]},
        seconds=seconds,
        connections=connections,
        threads=min(4, connections),
    )
    return {
        **result,
        "p50": f"{result['p50_ms']:.2f}ms",
        "p99": f"{result['p99_ms']:.2f}ms",
    }


def run_python(url: str, *, seconds: int, connections: int) -> dict:
    """Fallback: ``connections`` threads, each one keep-alive connection."""
    parts = urlsplit(url)
    prefix = uuid.uuid4().hex[:12]
    deadline = time.monotonic() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def worker(tid: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            start = time.perf_counter()
            conn.request(
                "POST",
                parts.path,
                headers={
                    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
                    "X-Visitor-Id": f"{prefix}-{tid}-{n}",
                    "Content-Length": "0",
                },
            )
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - start)
                errors[0] += response.status >= 300

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    begin = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begin
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": f"{latencies[len(latencies) // 2] * 1000:.2f}ms",
        "p99": f"{latencies[int(len(latencies) * 0.99)] * 1000:.2f}ms",
        "errors": errors[0],
    }


def measure(url: str, *, seconds: int, connections: int) -> dict:
    load = run_wrk if shutil.which("wrk") else run_python
    return {
        "tool": load.__name__[4:],
        **load(url, seconds=seconds, connections=connections),
    }


def view_count(server) -> int:
    conn = http.client.HTTPConnection(*urlsplit(server.url).netloc.split(":"))
    conn.request("GET", "/api/v1/articles/most-viewed/?period=all&limit=1")
    results = json.loads(conn.getresponse().read())["results"]
    return results[0]["view_count"] if results else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-url", default="", help="also measure Redis mode")
    args = parser.parse_args()
    load = {"seconds": args.seconds, "connections": args.connections}
    rows = []

    with served(workers=args.workers, settings="bench.settings") as server:
        rows.append(("noop", measure(f"{server.url}/bench/noop/", **load), None))
        views_url = f"{server.url}/api/v1/articles/{server.article_id}/views/"
        result = measure(views_url, **load)
        rows.append(("database", result, view_count(server)))

    if args.redis_url:
        with served(
            workers=args.workers, redis_url=args.redis_url, settings="bench.settings"
        ) as server:
            views_url = f"{server.url}/api/v1/articles/{server.article_id}/views/"
            result = measure(views_url, **load)
            subprocess.run(
                [sys.executable, "manage.py", "flush_counters"],
                cwd=ROOT,
                env=server.env,
                check=True,
            )
            rows.append(("redis", result, view_count(server)))

    print(
        f"POST .../views/, gunicorn {args.workers} sync workers, SQLite, "
        f"{args.connections} connections, {args.seconds} s each"
    )
    print(
        f"{'mode':<10}{'req/s':>10}{'p50':>10}{'p99':>10}{'requests':>10}"
        f"{'non-2xx':>9}{'counted':>9}  tool"
    )
    for mode, r, counted in rows:
        counted = "" if counted is None else counted
        print(
            f"{mode:<10}{r['rps']:>10.0f}{r['p50']:>10}{r['p99']:>10}"
            f"{r['requests']:>10}{r['errors']:>9}{counted:>9}"
            f"  {r['tool']}"
        )


if __name__ == "__main__":
    main()
