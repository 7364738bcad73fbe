"""The in-process cache: expiry by the clock it is given, least recently used out first."""

from __future__ import annotations

import pytest

from gateway.connectors import CacheEntry, MemoryCache
from tests.gateway.connectors.fakes import FakeClock


async def test_entries_expire_after_their_ttl() -> None:
    clock = FakeClock()
    cache = MemoryCache(clock=clock)
    await cache.set("k", CacheEntry({"v": 1}, clock.now), ttl_seconds=10)
    clock.advance(9.9)
    held = await cache.get("k")
    assert held is not None
    assert held.value == {"v": 1}
    assert held.age(clock.now) == pytest.approx(9.9)
    clock.advance(0.1)
    assert await cache.get("k") is None
    assert len(cache) == 0


async def test_least_recently_used_goes_first() -> None:
    clock = FakeClock()
    cache = MemoryCache(max_entries=2, clock=clock)
    for key in ("a", "b"):
        await cache.set(key, CacheEntry(key, clock.now), ttl_seconds=60)
    await cache.get("a")  # a is now the most recent
    await cache.set("c", CacheEntry("c", clock.now), ttl_seconds=60)
    assert [await cache.get(k) is not None for k in ("a", "b", "c")] == [True, False, True]


async def test_zero_ttl_keeps_nothing() -> None:
    cache = MemoryCache()
    await cache.set("k", CacheEntry(1, 0.0), ttl_seconds=0)
    assert await cache.get("k") is None
