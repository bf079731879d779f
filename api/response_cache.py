"""Answers of the read endpoints kept in the shared cache, as bytes.

A cached answer is served without touching the database, DRF or the
serializers: one cache round trip (``get_many`` of the entry and the content
version). It is used only while

- the content version it was built under is current: any publish, unpublish,
  move or delete of a page, any change to an image, a view restriction or a
  site sets a new version (``api.receivers``), so such a change shows on the
  next request, in every worker;
- it is younger than ``API_RESPONSE_CACHE_SECONDS`` (default
  ``API_CACHE_MAX_AGE``): view counts, and what only time changes (an article
  whose ``published_at`` or ``go_live_at`` passes, one that expires), are at
  most that old. ``Age`` tells HTTP caches how old the answer already is, so
  that a browser or CDN adds nothing to it.

Entries hold the JSON, its gzip form (served as is to clients accepting gzip),
its ETag, so a 304 costs no rendering either, its ``Last-Modified`` (when
these bytes were first built: an answer rebuilt under a new content version
with the same bytes as the entry it replaces keeps the entry's time, so a
publish in one category does not make the other categories' answers look
new; any other rebuild is "now", so the time never says "unchanged" of
changed bytes), and the headers the inner
middleware gave it, so a served answer looks like a built one (but for
``Content-Language``, which the body does not depend on, and the CORS
headers, which the CORS middleware outside sets per request).

:class:`ResponseCacheMiddleware` serves them ahead of the session, locale,
CSRF, auth and message middleware, DRF and the view, none of which a kept
answer needs (bench/README.md). It keeps
only the answers of views that allow it (``cache_answers``, set by
``api.views.CachedReadView``).
"""

import gzip
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.regex_helper import _lazy_re_compile

from api import purge

VERSION_KEY = "api:content-version"
# Set in the WSGI environ when an answer was served from its entry: the key,
# for the WSGI layer in front (``api.fast_path``).
SERVED_ENTRY = "newsdesk.served_entry"
# Bumped with the shape of ``Entry``: a worker never reads another release's.
ENTRY_PREFIX = "api:answer:3:"
# Headers not replayed from an entry: set per answer, per language or per
# origin (CORS headers are added outside this middleware; never keep them).
_NOT_REPLAYED = frozenset(
    ("content-length", "content-language", "etag", "age", "last-modified")
)
_NOT_REPLAYED_PREFIX = "access-control-"
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Below this, gzip saves too little to be worth it (as GZipMiddleware).
MIN_GZIP_BYTES = 200
_clock = time.time  # the age of answers (tests move it)


@dataclass(frozen=True, slots=True)
class Entry:
    version: str
    stored_at: float
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes | None
    etag: str
    last_modified: float


def lifetime() -> int:
    seconds = getattr(settings, "API_RESPONSE_CACHE_SECONDS", None)
    return settings.API_CACHE_MAX_AGE if seconds is None else seconds


def new_content_version() -> None:
    """Retire every cached answer: the next request of each builds it anew,
    here and in the cache tier in front (``api.purge``)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    purge.content_changed()


def _entry_key(request: HttpRequest) -> str:
    # Absolute URLs in answers depend on scheme and host; ``indent`` on Accept.
    raw = "\n".join(
        (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
        )
    )
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _answers_are_kept(request: HttpRequest) -> bool:
    """Whether the view of ``request`` says its answers may be kept (a
    ``cache_answers`` attribute, set by ``api.views.CachedReadView``): found
    before the lookup, so that other views pay no cache round trip."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(getattr(match.func, "view_class", None), "cache_answers", False)


class ResponseCacheMiddleware:
    """Cached answers for GET and HEAD of the views that allow it (see the
    module's text). Place it outside the session middleware and inside the
    middleware that every answer needs (CORS, cache headers, gzip)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in ("GET", "HEAD")
            and request.path.startswith("/api/")
            and _answers_are_kept(request)
        ):
            return cached_answer(request, lambda: self.get_response(request))
        return self.get_response(request)


def cached_answer(
    request: HttpRequest, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The cached answer to ``request`` if current, else ``build()``'s (kept
    when it is a 200 setting no cookie). Only for reads whose answer depends
    on the URL, host and ``Accept`` alone (no cookie, user or language)."""
    seconds = lifetime()
    if seconds <= 0:
        return build()
    key = _entry_key(request)
    found = cache.get_many([key, VERSION_KEY])
    version = found.get(VERSION_KEY)
    entry = found.get(key)
    if version is None:
        version = uuid.uuid4().hex
        # add: two workers starting at once agree on one version.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    now = _clock()
    # The cache's own expiry bounds the age too; this holds if the setting fell.
    if (
        entry is not None
        and entry.version == version
        and now - entry.stored_at < seconds
    ):
        request.META[SERVED_ENTRY] = key
        return _from_entry(request, entry, age=int(now - entry.stored_at))
    response = build()
    if response.status_code == 200 and not response.cookies and not response.streaming:
        previous = entry
        entry = _entry(response, version=version, now=now)
        if previous is not None and previous.etag == entry.etag:
            entry = replace(entry, last_modified=previous.last_modified)
        cache.set(key, entry, timeout=seconds)
        response["ETag"] = entry.etag
        response["Last-Modified"] = http_date(entry.last_modified)
    return response


def _entry(response: HttpResponse, *, version: str, now: float) -> Entry:
    body = response.content
    gzipped = None
    if len(body) >= MIN_GZIP_BYTES:
        # mtime=0: the same bytes for the same answer in every worker.
        gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        if len(gzipped) >= len(body):
            gzipped = None
    headers = tuple(
        (name, value)
        for name, value in response.items()
        if name.lower() not in _NOT_REPLAYED
        and not name.lower().startswith(_NOT_REPLAYED_PREFIX)
    )
    return Entry(
        version=version,
        stored_at=now,
        headers=headers,
        body=body,
        gzipped=gzipped,
        etag=quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest()),
        last_modified=now,
    )


def _from_entry(request: HttpRequest, entry: Entry, *, age: int) -> HttpResponse:
    accepts_gzip = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if entry.gzipped is not None and accepts_gzip:
        response = HttpResponse(entry.gzipped)
        response["Content-Encoding"] = "gzip"
        # As GZipMiddleware does: the tag names the uncompressed bytes.
        etag = "W/" + entry.etag
    else:
        response = HttpResponse(entry.body)
        etag = entry.etag
    for name, value in entry.headers:
        response[name] = value
    response["ETag"] = etag
    response["Last-Modified"] = http_date(entry.last_modified)
    # CommonMiddleware, which sets it on built answers, is further in.
    response["Content-Length"] = str(len(response.content))
    if entry.gzipped is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    patch_vary_headers(response, ("Accept",))
    if age > 0:
        response["Age"] = str(age)
    return response
