"""A preview token never reaches gunicorn's access log (issue 22): a real
gunicorn with the project's gunicorn.conf.py and gunicorn's default access log
format (request line, referer, user agent), asked for the preview with a
token in the query and in the referer."""

import time
import urllib.error
import urllib.request

from gunicorn.config import AccessLogFormat

from harness.server import served

TOKEN = "c2VjcmV0LWRyYWZ0LTQy.Zx9-preview_token"


def get(url: str, **headers) -> int:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=30
        ) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_preview_tokens_are_redacted_from_the_access_log():
    with served(
        workers=1, gunicorn_args=("--access-logformat", AccessLogFormat.default)
    ) as server:
        assert get(f"{server.url}/api/v1/preview/?token={TOKEN}") == 403
        assert get(f"{server.url}/preview/?lang=vi&token={TOKEN}") == 200
        get(
            f"{server.url}/api/v1/articles/?page_size=1",
            Referer=f"{server.url}/preview/?token={TOKEN}",
        )
        # gunicorn writes a line once its answer is sent: wait for the third.
        deadline = time.monotonic() + 30
        while (log := server.log.read_text()).count("/api/v1/articles/") < 1:
            assert time.monotonic() < deadline, log
            time.sleep(0.1)

    assert TOKEN not in log
    assert "GET /api/v1/preview/?token=[redacted] HTTP/1.1" in log
    assert "GET /preview/?lang=vi&token=[redacted] HTTP/1.1" in log
    assert "/preview/?token=[redacted]" in log  # the referer
