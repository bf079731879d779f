"""Purging the cache tier (Varnish, ``deploy/varnish/default.vcl``) when the
content version changes.

Every cacheable answer under /api/ carries the surrogate key
:data:`CONTENT_KEY` (``xkey``, set by ``api.caching``); whenever the app
retires its own cached answers (``api.response_cache.new_content_version``)
it asks each instance in ``VARNISH_PURGE_URLS`` to drop every object with that
key, so feeds, change feeds and any later read endpoint are covered without
naming them.

Never in the editor's request: a daemon thread of each process sends the
``PURGE`` requests (short timeout; a failure is logged, never raised), and
bumps that arrive while it is sending coalesce into one more round. It
purges again :data:`REPEAT_AFTER` seconds later: an answer fetched from the
app before the commit and stored by Varnish after the first purge is dropped
then. A process that ends (a management command) and changed content sends
one more purge as it ends (``atexit``), whatever its thread was doing.
"""

import atexit
import http.client
import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

CONTENT_KEY = "newsdesk-content"
KEY_HEADER = "xkey"
PURGE_HEADER = "xkey-purge"
TIMEOUT = 0.5
REPEAT_AFTER = 0.5

_lock = threading.Lock()
_pending = threading.Event()
_worker: threading.Thread | None = None
_repeat_at: float | None = None
# Set by any content change in this process: its end sends one more purge.
_changed = False


def purge_urls() -> list[str]:
    return list(getattr(settings, "VARNISH_PURGE_URLS", []))


def content_changed() -> None:
    """Schedule a purge of :data:`CONTENT_KEY` on every configured instance;
    returns at once."""
    if not purge_urls():
        return
    global _worker, _changed
    _changed = True
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_run, name="varnish-purge", daemon=True)
            _worker.start()
    _pending.set()


def purge_now(*, key: str = CONTENT_KEY) -> int:
    """Send ``PURGE`` for ``key`` to every instance now; how many answered 200."""
    done = 0
    for url in purge_urls():
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=TIMEOUT
        )
        try:
            connection.request("PURGE", parts.path or "/", headers={PURGE_HEADER: key})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                done += 1
            else:
                logger.warning(
                    "Varnish at %s refused the purge: %s", url, response.status
                )
        except OSError as error:
            logger.warning("Varnish at %s not purged: %s", url, error)
        finally:
            connection.close()
    return done


def _run() -> None:
    global _repeat_at
    while True:
        wait = None if _repeat_at is None else max(0.0, _repeat_at - time.monotonic())
        if _pending.wait(wait):
            _pending.clear()
            purge_now()
            _repeat_at = time.monotonic() + REPEAT_AFTER
        else:  # the repeat is due and nothing new came
            _repeat_at = None
            purge_now()


@atexit.register
def _flush() -> None:
    # Whatever the thread was doing (it may be stopped mid-round at exit).
    if _changed:
        _pending.clear()
        purge_now()
