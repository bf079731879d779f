"""Hostile headers through a real gunicorn: user agents thousands of
characters long (issue 22: one held a worker's CPU for seconds in the bot check)
and other oversized headers on the counting endpoints, while ``/healthz/`` is
asked at the same time. Each is answered, as a bot's (not counted), and the
probe answers while they are in flight."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from harness.server import served

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
HUGE = 8000


def post(url: str, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_huge_user_agents_are_answered_as_bots_while_the_probe_answers():
    with served(workers=2) as server:
        views = f"{server.url}/api/v1/articles/{server.article_id}/views/"
        visits = f"{server.url}/api/v1/site/visits/"
        hostile = [
            (views, {"User-Agent": "a" * HUGE, "X-Visitor-Id": f"huge-{n:04}"})
            for n in range(6)
        ] + [
            (visits, {"User-Agent": "Mozilla/5.0 " + "(" * HUGE}),
            # Other headers as long as gunicorn lets them be, with a browser's
            # agent: answered and counted as usual.
            (
                views,
                {
                    "User-Agent": BROWSER,
                    "X-Visitor-Id": "v" * HUGE,
                    "X-Forwarded-For": ", ".join(["10.0.0.1"] * 750),
                    "Accept-Language": "vi;q=0.9, " * 750,
                    "If-None-Match": '"x", ' * 1500,
                },
            ),
        ]
        probes = []
        in_flight = threading.Event()

        def probe():
            in_flight.wait(timeout=30)
            with urllib.request.urlopen(f"{server.url}/healthz/", timeout=120) as r:
                probes.append(r.status)

        prober = threading.Thread(target=probe)
        prober.start()
        with ThreadPoolExecutor(max_workers=len(hostile)) as pool:
            futures = [pool.submit(post, url, headers) for url, headers in hostile]
            in_flight.set()
            answers = [future.result() for future in futures]
        prober.join()

        assert probes == [200]
        assert [status for status, _ in answers] == [200] * len(hostile)
        assert [body["counted"] for _, body in answers[:-1]] == [False] * 7
        # The oversized id is ignored (a hash of address and agent instead).
        assert answers[-1][1] == {"view_count": 1, "counted": True}
