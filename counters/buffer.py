"""The Redis buffer of counts not yet in the database (used when REDIS_URL is set).

Increments go into a *bucket*: a Redis hash named by a random id. The id of the
bucket being written is kept under ``current``; every bucket holding data is a
member of the ``buckets`` set. A flush *rotates* (points ``current`` at a fresh
id, so the old bucket never changes again), adds the old bucket to the database
in one transaction together with an ``AppliedFlush`` row carrying the bucket's
id, then *retires* it (deletes the hash and its set member). docs/counting.md
walks through every crash point.

Because every bucket has an id that the database records when it is applied, a
reader can tell, from one Redis snapshot and one database query, which buckets
are still pending: counts never double or go backwards while a flush runs.

Hash fields: ``v:<page id>`` (all-time views), ``vd:<page id>:<YYYY-MM-DD>``
(views on a local day), ``s:<site id>`` and ``sd:<site id>:<YYYY-MM-DD>``, and
``_since``: when the bucket got its first count (the buffer's age in
``/readyz/``).

A count is one script that sets the visitor's dedupe key and increments
together (``count_once``), so Redis never holds one without the other; it
also reads what the answer's total needs from the buffer (one round trip). Its
errors say whether anything reached Redis: ``Unsent`` (nothing did: counting
in the database instead is safe) or any other ``RedisError`` (the script may
run yet, e.g. when a paused Redis resumes: counting elsewhere too could count
the visitor twice).
"""

import time
import uuid
from collections import defaultdict
from datetime import date
from functools import lru_cache

import redis
from django.conf import settings

from cms import redis_guard

PREFIX = "newsdesk:counters:"
CURRENT = PREFIX + "current"
BUCKETS = PREFIX + "buckets"
BUCKET = PREFIX + "bucket:"

# KEYS: dedupe key, current, buckets. ARGV: request token, window seconds,
# bucket prefix, candidate id, now (epoch seconds), the field to read, then
# field, amount, ... to add.
# Returns {1 when counted (by this request: a resent script with the same
# token answers 1 again and adds nothing) or 0 when the visitor was counted
# before, then bucket id, amount of the field to read, ... of every bucket
# holding it}: the count and what the answer's total needs from Redis, in one
# round trip and one atomic step.
_COUNT_ONCE = """
local function pending(counted)
  local out = {counted}
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    local amount = redis.call('HGET', ARGV[3] .. id, ARGV[6])
    if amount then
      out[#out + 1] = id
      out[#out + 1] = amount
    end
  end
  return out
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  if redis.call('GET', KEYS[1]) == ARGV[1] then return pending(1) end
  return pending(0)
end
local id = redis.call('GET', KEYS[2])
if not id then
  id = ARGV[4]
  redis.call('SET', KEYS[2], id)
end
redis.call('SADD', KEYS[3], id)
local bucket = ARGV[3] .. id
redis.call('HSETNX', bucket, '_since', ARGV[5])
for i = 7, #ARGV, 2 do
  redis.call('HINCRBY', bucket, ARGV[i], ARGV[i + 1])
end
return pending(1)
"""

# KEYS: current. ARGV: new id. Returns the id writes went to until now.
_ROTATE = """
local old = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1])
return old
"""

# KEYS: buckets, and current to leave the bucket being written out. ARGV:
# bucket prefix, field, ... (no fields: every field).
# Returns {id, {field, value, ...}, ...} from one atomic snapshot.
_SNAPSHOT = """
local out = {}
local skip = false
if KEYS[2] then skip = redis.call('GET', KEYS[2]) end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if id ~= skip then
    local values
    if #ARGV > 1 then
      values = {}
      local got = redis.call('HMGET', ARGV[1] .. id, unpack(ARGV, 2))
      for i = 2, #ARGV do
        if got[i - 1] then
          values[#values + 1] = ARGV[i]
          values[#values + 1] = got[i - 1]
        end
      end
    else
      values = redis.call('HGETALL', ARGV[1] .. id)
    end
    out[#out + 1] = id
    out[#out + 1] = values
  end
end
return out
"""

# KEYS: buckets. ARGV: bucket prefix. The earliest ``_since`` of the buckets
# and how many there are: {since or false, count}.
_OLDEST = """
local oldest = false
local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do
  local since = tonumber(redis.call('HGET', ARGV[1] .. id, '_since'))
  if since and (not oldest or since < oldest) then oldest = since end
end
return {oldest, #ids}
"""

# KEYS: buckets. ARGV: bucket prefix, id.
_RETIRE = """
redis.call('DEL', ARGV[1] .. ARGV[2])
redis.call('SREM', KEYS[1], ARGV[2])
return 1
"""


class Unsent(redis.ConnectionError):
    """Redis could not be reached: the command was never sent."""


class _Pool(redis.ConnectionPool):
    """Tells a Redis that refuses connections (nothing of ours sent, and nothing
    queued there that could run later) from every other failure.

    A timeout while connecting is not ``Unsent``: a paused Redis still accepts
    connections into its backlog and then lets the handshake time out, while
    scripts sent earlier (this visitor's previous attempt, say) wait in it.
    """

    def get_connection(self, *args, **kwargs):
        try:
            return super().get_connection(*args, **kwargs)
        except redis.ConnectionError as error:
            raise Unsent(str(error)) from error


def enabled() -> bool:
    return bool(settings.REDIS_URL)


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # Fail fast: a dead Redis must not hold a request. No retries: a resent
    # script could count twice, and a read can do without Redis.
    pool = _Pool.from_url(
        url,
        socket_connect_timeout=1,
        socket_timeout=1,
        decode_responses=True,
        retry=redis_guard.no_retry(),
    )
    return redis.Redis(connection_pool=pool)


def client() -> redis.Redis:
    return _client(settings.REDIS_URL)


@lru_cache(maxsize=4)
def _scripts(url: str) -> dict:
    # EVALSHA with a fallback to EVAL: the script body is not resent each call.
    redis_client = _client(url)
    return {
        name: redis_client.register_script(body)
        for name, body in (
            ("count_once", _COUNT_ONCE),
            ("oldest", _OLDEST),
            ("rotate", _ROTATE),
            ("snapshot", _SNAPSHOT),
            ("retire", _RETIRE),
        )
    }


def _run(name: str, keys: list[str], args: list) -> object:
    return _scripts(settings.REDIS_URL)[name](keys=keys, args=args)


def view_field(page_id: int) -> str:
    return f"v:{page_id}"


def daily_view_field(page_id: int, day: date) -> str:
    return f"vd:{page_id}:{day.isoformat()}"


def visit_field(site_id: int) -> str:
    return f"s:{site_id}"


def daily_visit_field(site_id: int, day: date) -> str:
    return f"sd:{site_id}:{day.isoformat()}"


def count_once(
    *, dedupe_key: str, window: int, fields: dict[str, int], read: str
) -> tuple[bool, dict[str, dict[str, int]]]:
    """Add ``fields`` to the current bucket unless ``dedupe_key`` is set, and set
    it for ``window`` seconds: one atomic script. Returns whether counted, and
    the field ``read`` in every bucket holding it, as :func:`snapshot` would
    (``{bucket id: {read: amount}}``), read in the same step.

    Raises ``Unsent`` when Redis could not be reached (nothing happened), any
    other ``redis.RedisError`` when the outcome is unknown.
    """
    args = [
        uuid.uuid4().hex,
        window,
        BUCKET,
        uuid.uuid4().hex,
        int(time.time()),
        read,
    ]
    for field, amount in fields.items():
        args += [field, amount]
    counted, *pairs = _run("count_once", [PREFIX + dedupe_key, CURRENT, BUCKETS], args)
    pending = {pairs[i]: {read: int(pairs[i + 1])} for i in range(0, len(pairs), 2)}
    return counted == 1, pending


def oldest() -> tuple[int | None, int]:
    """(epoch seconds of the oldest count not yet flushed or None, buckets held)."""
    since, count = _run("oldest", [BUCKETS], [BUCKET])
    return (int(since) if since else None), int(count)


def snapshot(
    fields: list[str] | None = None, *, frozen: bool = False
) -> dict[str, dict[str, int]]:
    """Every bucket still in Redis: ``{bucket id: {field: amount}}``, limited to
    ``fields`` when given; with ``frozen``, all but the bucket being written
    (the current one as of the same atomic read: once a bucket is no longer
    current no count writes to it again). Raises ``redis.RedisError``."""
    keys = [BUCKETS, CURRENT] if frozen else [BUCKETS]
    raw = _run("snapshot", keys, [BUCKET, *(fields or [])])
    buckets = {}
    for i in range(0, len(raw), 2):
        pairs = raw[i + 1]
        buckets[raw[i]] = {pairs[j]: int(pairs[j + 1]) for j in range(0, len(pairs), 2)}
    return buckets


def rotate() -> str | None:
    """Send new writes to a fresh bucket; return the id of the previous one."""
    return _run("rotate", [CURRENT], [uuid.uuid4().hex])


def current_id() -> str | None:
    return client().get(CURRENT)


def retire(bucket_id: str) -> None:
    """Forget a bucket that the database has applied."""
    _run("retire", [BUCKETS], [BUCKET, bucket_id])


def parse(fields: dict[str, int]) -> dict[str, dict]:
    """Split a bucket's fields into ``views``/``visits`` totals ``{id: n}`` and
    ``daily_views``/``daily_visits`` ``{(id, day): n}``."""
    out = {
        "views": defaultdict(int),
        "visits": defaultdict(int),
        "daily_views": defaultdict(int),
        "daily_visits": defaultdict(int),
    }
    for field, amount in fields.items():
        kind, _, rest = field.partition(":")
        if kind == "v":
            out["views"][int(rest)] += amount
        elif kind == "s":
            out["visits"][int(rest)] += amount
        elif kind in ("vd", "sd"):
            key, _, day = rest.partition(":")
            target = out["daily_views" if kind == "vd" else "daily_visits"]
            target[(int(key), date.fromisoformat(day))] += amount
    return out
