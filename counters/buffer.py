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
(views on a local day), ``s:<site id>`` and ``sd:<site id>:<YYYY-MM-DD>``.
"""

import uuid
from collections import defaultdict
from datetime import date
from functools import lru_cache

import redis
from django.conf import settings

PREFIX = "newsdesk:counters:"
CURRENT = PREFIX + "current"
BUCKETS = PREFIX + "buckets"
BUCKET = PREFIX + "bucket:"

# KEYS: current, buckets. ARGV: bucket prefix, candidate id, field, amount, ...
_INCREMENT = """
local id = redis.call('GET', KEYS[1])
if not id then
  id = ARGV[2]
  redis.call('SET', KEYS[1], id)
end
redis.call('SADD', KEYS[2], id)
for i = 3, #ARGV, 2 do
  redis.call('HINCRBY', ARGV[1] .. id, ARGV[i], ARGV[i + 1])
end
return id
"""

# KEYS: current. ARGV: new id. Returns the id writes went to until now.
_ROTATE = """
local old = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1])
return old
"""

# KEYS: buckets. ARGV: bucket prefix, field, ... (no fields: every field).
# Returns {id, {field, value, ...}, ...} from one atomic snapshot.
_SNAPSHOT = """
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
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
return out
"""

# KEYS: buckets. ARGV: bucket prefix, id.
_RETIRE = """
redis.call('DEL', ARGV[1] .. ARGV[2])
redis.call('SREM', KEYS[1], ARGV[2])
return 1
"""


def enabled() -> bool:
    return bool(settings.REDIS_URL)


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # Fail fast: a dead Redis must not hold a request, counting falls back.
    return redis.Redis.from_url(
        url, socket_connect_timeout=1, socket_timeout=1, decode_responses=True
    )


def client() -> redis.Redis:
    return _client(settings.REDIS_URL)


@lru_cache(maxsize=4)
def _scripts(url: str) -> dict:
    # EVALSHA with a fallback to EVAL: the script body is not resent each call.
    redis_client = _client(url)
    return {
        name: redis_client.register_script(body)
        for name, body in (
            ("increment", _INCREMENT),
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


def increment(fields: dict[str, int]) -> None:
    """Add to the current bucket atomically. Raises ``redis.RedisError``."""
    args = [BUCKET, uuid.uuid4().hex]
    for field, amount in fields.items():
        args += [field, amount]
    _run("increment", [CURRENT, BUCKETS], args)


def snapshot(fields: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Every bucket still in Redis: ``{bucket id: {field: amount}}``, limited to
    ``fields`` when given. One atomic read. Raises ``redis.RedisError``."""
    raw = _run("snapshot", [BUCKETS], [BUCKET, *(fields or [])])
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
