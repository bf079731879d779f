"""The project's WSGI app, except ``/bench/raw/``: a raw WSGI answer of the
bytes of our list (``BENCH_FLOOR_FILE``), no Django at all (the floor's floor)."""

import os
from pathlib import Path

from cms.wsgi import application as django_application

_body: list[bytes] = []


def application(environ, start_response):
    if environ.get("PATH_INFO") != "/bench/raw/":
        return django_application(environ, start_response)
    if not _body:
        _body.append(Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes())
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(_body[0])))],
    )
    return _body
