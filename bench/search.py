"""Search on PostgreSQL in process: each of the benchmark's queries through
the real view (Django's test client, no kept answers), with the bounded work
of ``articles.pg_search`` and with every match counted and ranked, in
alternating rounds on the same dataset::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk \\
        python -m bench.search --articles 100000 --rounds 12

Prints, per query and mode, the median time of a request, its SQL time, the
count and whether it is an estimate. The dataset is ``bench.dataset``'s.
"""

import argparse
import os
import statistics
import time

from bench.api import SEARCHES
from bench.dataset import ensure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        parser.error(
            "set DATABASE_URL=postgres://...: the bounded search is PostgreSQL's"
        )
    os.environ.update(ensure(articles=args.articles, database_url=database_url))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings",
            "API_RESPONSE_CACHE_SECONDS": "0",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles import pg_search

    bounded_up_to = pg_search.EXACT_UP_TO
    modes = {"bounded": bounded_up_to, "exact": 10**12}
    client = Client()
    times = {(mode, q): [] for mode in modes for q in SEARCHES}
    sql = {(mode, q): [] for mode in modes for q in SEARCHES}
    answers = {}
    for _ in range(args.rounds):
        for mode, up_to in modes.items():
            pg_search.EXACT_UP_TO = up_to
            for query in SEARCHES:
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get("/api/v1/articles/", {"search": query})
                    times[mode, query].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.content[:300]
                sql[mode, query].append(
                    sum(float(q["time"]) for q in queries.captured_queries) * 1000
                )
                data = response.json()
                answers[mode, query] = (
                    data["count"],
                    data["count_is_estimate"],
                    len(queries.captured_queries),
                )
    pg_search.EXACT_UP_TO = bounded_up_to
    print(f"{args.articles} articles, {args.rounds} rounds, medians")
    print(
        f"{'query':<20} {'mode':<8} {'request ms':>10} {'SQL ms':>7} {'SQL':>4} count"
    )
    for query in SEARCHES:
        for mode in modes:
            count, estimate, queries = answers[mode, query]
            print(
                f"{query:<20} {mode:<8} "
                f"{statistics.median(times[mode, query]):>10.1f} "
                f"{statistics.median(sql[mode, query]):>7.1f} {queries:>4} "
                f"{count:,}{' (estimate)' if estimate else ''}"
            )
    for mode in modes:
        every = [t for (m, _), values in times.items() if m == mode for t in values]
        print(f"all queries, {mode}: median {statistics.median(every):.1f} ms")


if __name__ == "__main__":
    main()
