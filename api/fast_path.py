"""Kept API answers served at the WSGI layer, before Django's handler.

A cache hit through the whole stack (request object, signals, a dozen
middleware, URL resolving) costs several times the cache round trip itself
(bench/README.md). :class:`KeptAnswers` wraps the WSGI application
(``WSGI_MIDDLEWARE`` in cms.settings, applied by cms/wsgi.py) and answers a
``GET`` whose answer it has already seen served from its entry
(``api.response_cache``) in this process. It keeps that entry in the
process's memory too, and reads only the content version from the shared
cache (one small round trip): the entry is served while it was built under
that version and is younger than ``API_RESPONSE_CACHE_SECONDS``, the rule of
``api.response_cache`` itself; else the shared cache's entry is read (a
second round trip), and when that one is no better Django answers. It sends
the entry's bytes (gzip when accepted) with the headers the whole stack gave
that answer, and its own ``ETag``, ``Content-Length`` and ``Age``, and the
entry's ``Link`` and ``Last-Modified``.
Everything else goes through Django: a first request, any miss or stale
entry, a request with ``Origin`` (CORS headers are per origin) or a
conditional header (``If-None-Match``: Django answers the 304), and any error
of the cache.

The headers are learnt per request line (scheme, host, path and query,
``Accept``): what the middleware outside the answer cache adds depends on
nothing else once ``Origin`` is absent. Settings changes need a restart, as
for any setting.
"""

import logging
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.utils.http import http_date

from api import response_cache
from api.response_cache import ACCEPTS_GZIP, SERVED_ENTRY, VERSION_KEY

logger = logging.getLogger(__name__)

# Per answer, set here: never learnt.
_OWN = frozenset(("content-length", "content-encoding", "etag", "age"))
# Per entry: they change with the content (the last page of a list, when its
# bytes were built), so they come from the entry served, never the one learnt.
_PER_ENTRY = frozenset(("link", "last-modified"))
# Requests that Django answers: per origin, or conditional.
_TO_DJANGO = ("HTTP_ORIGIN", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
MAX_LEARNT = 20_000
# Bytes of entries kept in a process's memory; past it they are all dropped.
MAX_KEPT_BYTES = 32 * 2**20


def _line(environ: dict) -> tuple:
    return (
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_X_FORWARDED_PROTO"),
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME"),
        environ.get("PATH_INFO"),
        environ.get("QUERY_STRING"),
        environ.get("HTTP_ACCEPT"),
    )


class KeptAnswers:
    def __init__(self, application: Callable):
        self.application = application
        # request line -> [entry key, headers as the stack sent them, entry]
        self.learnt: dict[tuple, list] = {}
        self.kept_bytes = 0

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or not environ.get(
            "PATH_INFO", ""
        ).startswith("/api/"):
            return self.application(environ, start_response)
        if any(name in environ for name in _TO_DJANGO):
            return self.application(environ, start_response)
        line = _line(environ)
        known = self.learnt.get(line)
        if known is not None:
            answer = self._kept(environ, known)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        return self._through_django(environ, start_response, line)

    def _kept(self, environ: dict, known: list):
        key, headers, entry = known
        seconds = response_cache.lifetime()
        if seconds <= 0:
            return None
        try:
            version = cache.get(VERSION_KEY)
            now = response_cache._clock()
            if not _current(entry, version, now, seconds):
                entry = cache.get(key)
                if not _current(entry, version, now, seconds):
                    return None
                self._keep(known, entry)
        except Exception:  # Django then answers, and reports it
            logger.debug("kept answers: cache unreadable", exc_info=True)
            return None
        headers = [
            *headers,
            *((name, value) for name, value in entry.headers if name.lower() == "link"),
            ("Last-Modified", http_date(entry.last_modified)),
        ]
        if entry.gzipped is not None and ACCEPTS_GZIP.search(
            environ.get("HTTP_ACCEPT_ENCODING", "")
        ):
            body = entry.gzipped
            headers += [("Content-Encoding", "gzip"), ("ETag", "W/" + entry.etag)]
        else:
            body = entry.body
            headers.append(("ETag", entry.etag))
        headers.append(("Content-Length", str(len(body))))
        age = int(now - entry.stored_at)
        if age > 0:
            headers.append(("Age", str(age)))
        return "200 OK", headers, body

    def _through_django(self, environ, start_response, line):
        sent = {}

        def remember(status, headers, exc_info=None):
            sent["status"], sent["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.application(environ, remember)
        key = environ.get(SERVED_ENTRY)
        if key is not None and sent.get("status", "").startswith("200"):
            if len(self.learnt) >= MAX_LEARNT:
                self.forget()
            headers = [
                (name, value)
                for name, value in sent["headers"]
                if name.lower() not in _OWN and name.lower() not in _PER_ENTRY
            ]
            # Its entry comes with the next request (read once, then kept).
            self.learnt[line] = [key, headers, None]
        return body

    def _keep(self, known: list, entry) -> None:
        kept_bytes = self.kept_bytes - _size(known[2]) + _size(entry)
        if kept_bytes > MAX_KEPT_BYTES:
            self.forget()  # this one too: relearnt on its next request
        else:
            self.kept_bytes = kept_bytes
            known[2] = entry

    def forget(self) -> None:
        self.learnt.clear()
        self.kept_bytes = 0


def _size(entry) -> int:
    return 0 if entry is None else len(entry.body) + len(entry.gzipped or b"")


def _current(entry, version, now: float, seconds: int) -> bool:
    return (
        entry is not None
        and version is not None
        and entry.version == version
        and now - entry.stored_at < seconds
    )
