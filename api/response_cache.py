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

Entries hold the JSON, its gzip form (served as is to clients accepting gzip)
and its ETag, so a 304 costs no rendering either.
"""

import gzip
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag
from django.utils.regex_helper import _lazy_re_compile

VERSION_KEY = "api:content-version"
_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Below this, gzip saves too little to be worth it (as GZipMiddleware).
MIN_GZIP_BYTES = 200
_clock = time.time  # the age of answers (tests move it)


@dataclass(frozen=True, slots=True)
class Entry:
    version: str
    stored_at: float
    content_type: str
    body: bytes
    gzipped: bytes | None
    etag: str


def lifetime() -> int:
    seconds = getattr(settings, "API_RESPONSE_CACHE_SECONDS", None)
    return settings.API_CACHE_MAX_AGE if seconds is None else seconds


def new_content_version() -> None:
    """Retire every cached answer: the next request of each builds it anew."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


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
    return "api:answer:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_answer(
    request: HttpRequest, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The cached answer to ``request`` if current, else ``build()``'s (stored
    when it is a 200). Only for GET and HEAD of public, cookie-less reads."""
    seconds = lifetime()
    if seconds <= 0 or request.method not in ("GET", "HEAD"):
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
        return _from_entry(request, entry, age=int(now - entry.stored_at))
    response = build()
    if response.status_code == 200 and not response.cookies:
        if hasattr(response, "render"):
            response.render()
        entry = _entry(response, version=version, now=now)
        cache.set(key, entry, timeout=seconds)
        response["ETag"] = entry.etag
    return response


def _entry(response: HttpResponse, *, version: str, now: float) -> Entry:
    body = response.content
    gzipped = None
    if len(body) >= MIN_GZIP_BYTES:
        # mtime=0: the same bytes for the same answer in every worker.
        gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        if len(gzipped) >= len(body):
            gzipped = None
    return Entry(
        version=version,
        stored_at=now,
        content_type=response["Content-Type"],
        body=body,
        gzipped=gzipped,
        etag=quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest()),
    )


def _from_entry(request: HttpRequest, entry: Entry, *, age: int) -> HttpResponse:
    accepts_gzip = _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if entry.gzipped is not None and accepts_gzip:
        response = HttpResponse(entry.gzipped, content_type=entry.content_type)
        response["Content-Encoding"] = "gzip"
        # As GZipMiddleware does: the tag names the uncompressed bytes.
        response["ETag"] = "W/" + entry.etag
    else:
        response = HttpResponse(entry.body, content_type=entry.content_type)
        response["ETag"] = entry.etag
    if entry.gzipped is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    patch_vary_headers(response, ("Accept",))
    if age > 0:
        response["Age"] = str(age)
    return response
