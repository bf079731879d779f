"""The Redis cache backend (``cms.cache``): one client per connection pool."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.redis


def test_the_redis_cache_shares_one_client_and_still_works():
    cache.set("cms-cache-test", {"a": 1}, timeout=10)

    assert cache.get("cms-cache-test") == {"a": 1}
    assert cache.get_many(["cms-cache-test", "missing"]) == {"cms-cache-test": {"a": 1}}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("cms-cache-test")
