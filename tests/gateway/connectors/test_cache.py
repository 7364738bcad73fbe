"""The connector cache, in-process and in Redis: expiry by the clock it is given, claims that
merge refreshes across instances; LRU bound in-process; Redis failing or poisoned is a miss."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable

import pytest
from redis.asyncio import Redis

from gateway.connectors import Cache, CacheEntry, MemoryCache
from gateway.connectors.messages import Freshness
from gateway.connectors.redis_cache import RedisCache
from gateway.shared_state import SharedRedis
from tests.gateway.connectors.fakes import FakeClock


async def test_entries_expire_after_their_ttl(
    cache_factory: Callable[[], Cache], clock: FakeClock
) -> None:
    cache = cache_factory()
    await cache.set("k", CacheEntry({"v": 1}, clock.now), ttl_seconds=10)
    clock.advance(9.9)
    held = await cache.get("k")
    assert held is not None
    assert held.value == {"v": 1}
    assert held.age(clock.now) == pytest.approx(9.9)
    clock.advance(0.1)
    assert await cache.get("k") is None


async def test_zero_ttl_keeps_nothing(cache_factory: Callable[[], Cache]) -> None:
    cache = cache_factory()
    await cache.set("k", CacheEntry(1, 0.0), ttl_seconds=0)
    assert await cache.get("k") is None


async def test_values_come_back_whole(cache_factory: Callable[[], Cache], clock: FakeClock) -> None:
    cache = cache_factory()
    value = (Freshness.STALE, dt.datetime(2026, 1, 2, tzinfo=dt.UTC), frozenset({"ก", "ข"}))
    await cache.set("k", CacheEntry(value, clock.now), ttl_seconds=10)
    held = await cache.get("k")
    assert held is not None
    assert held.value == value
    assert held.stored_at == clock.now


async def test_one_claim_at_a_time_until_released_or_lapsed(
    cache_factory: Callable[[], Cache], clock: FakeClock
) -> None:
    cache = cache_factory()
    assert await cache.claim("k", seconds=5)
    assert not await cache.claim("k", seconds=5)
    assert await cache.claim("other", seconds=5)
    await cache.release("k")
    assert await cache.claim("k", seconds=0.2)
    if isinstance(cache, MemoryCache):
        clock.advance(0.2)
        assert await cache.claim("k", seconds=5)


async def test_least_recently_used_goes_first() -> None:
    clock = FakeClock()
    cache = MemoryCache(max_entries=2, clock=clock)
    for key in ("a", "b"):
        await cache.set(key, CacheEntry(key, clock.now), ttl_seconds=60)
    await cache.get("a")  # a is now the most recent
    await cache.set("c", CacheEntry("c", clock.now), ttl_seconds=60)
    assert [await cache.get(k) is not None for k in ("a", "b", "c")] == [True, False, True]
    assert len(cache) == 2


async def test_redis_entries_are_shared_between_instances(shared_redis: SharedRedis) -> None:
    one, two = RedisCache(shared_redis), RedisCache(shared_redis)
    await one.set("dopa_stat:10", CacheEntry({"total": 5}, 1.0), ttl_seconds=60)
    held = await two.get("dopa_stat:10")
    assert held is not None
    assert held.value == {"total": 5}
    ttl = await shared_redis.client.ttl(shared_redis.key("cache", "dopa_stat:10"))
    assert 60 <= ttl <= 65  # Redis reclaims it a little after the entry expires


async def test_redis_entry_that_would_run_code_is_refused(shared_redis: SharedRedis) -> None:
    cache = RedisCache(shared_redis)
    poisoned = pickle.dumps((2e9, 1.0, print))  # builtins.print: not data
    await shared_redis.client.set(shared_redis.key("cache", "k"), poisoned)
    assert await cache.get("k") is None


async def test_redis_away_is_a_miss_and_a_free_claim() -> None:
    away = SharedRedis(Redis.from_url("redis://127.0.0.1:1/0"), "moi-test:")
    cache = RedisCache(away)
    await cache.set("k", CacheEntry(1, 0.0), ttl_seconds=10)
    assert await cache.get("k") is None
    assert await cache.claim("k", seconds=1)
    await cache.release("k")
    await away.close()
