"""Django's Redis cache backend, made an accelerator that may fail.

Two changes to ``django.core.cache.backends.redis``:

- one Redis client per connection pool: Django's ``get_client`` makes a new
  ``redis.Redis`` for every cache call, and building one (its table of
  response callbacks) cost about a quarter of a cached API answer's CPU time.
  A client is safe to share: the connections are the pool's.
- every call survives a Redis failure as a miss: ``get`` answers the default,
  ``get_many`` nothing, ``add`` False, writes and deletes do nothing. Callers
  (Wagtail's site root paths and renditions, DRF's throttle, the API's kept
  answers) then take their database path and still answer. After a failure
  the cache skips Redis for a few seconds and warns once a minute per process
  (``cms.redis_guard``). What a skipped write leaves behind is bounded by the
  entries' own lifetimes (docs/counting.md, "Redis unreachable").
"""

import functools

import redis
from django.core.cache.backends import redis as django_redis

from cms import redis_guard

_INSTEAD = "the cache answers misses and keeps nothing"


def _miss(value_on_failure):
    """Run the cache call unless Redis is being skipped; on a Redis error
    record it and answer ``value_on_failure()``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if not redis_guard.available():
                return value_on_failure()
            try:
                return method(self, *args, **kwargs)
            except redis.RedisError as error:
                redis_guard.failed(error, instead=_INSTEAD)
                return value_on_failure()

        return wrapper

    return decorate


def _incr_miss():
    raise ValueError("Redis is unreachable: the key counts as missing.")


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        # Never resend a command that timed out: fail fast, answer a miss.
        kwargs.setdefault("retry", redis_guard.no_retry())
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    def get(self, key, default):
        if not redis_guard.available():
            return default
        try:
            return super().get(key, default)
        except redis.RedisError as error:
            redis_guard.failed(error, instead=_INSTEAD)
            return default

    add = _miss(lambda: False)(django_redis.RedisCacheClient.add)
    set = _miss(lambda: None)(django_redis.RedisCacheClient.set)
    touch = _miss(lambda: False)(django_redis.RedisCacheClient.touch)
    delete = _miss(lambda: False)(django_redis.RedisCacheClient.delete)
    get_many = _miss(dict)(django_redis.RedisCacheClient.get_many)
    has_key = _miss(lambda: False)(django_redis.RedisCacheClient.has_key)
    incr = _miss(_incr_miss)(django_redis.RedisCacheClient.incr)
    set_many = _miss(lambda: None)(django_redis.RedisCacheClient.set_many)
    delete_many = _miss(lambda: None)(django_redis.RedisCacheClient.delete_many)
    clear = _miss(lambda: False)(django_redis.RedisCacheClient.clear)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
