"""The connector cache: a small :class:`Cache` protocol and the in-process :class:`MemoryCache`.

An entry carries the time it was stored, so the runtime can tell a fresh value from a stale
one it may still serve while the agency fails (stale-if-error). The cache only keeps entries
for as long as it is told (``ttl_seconds`` = fresh life + stale life); freshness is the
runtime's decision. :class:`~gateway.connectors.redis_cache.RedisCache` keeps the same entries
in Redis, shared by every instance.

``claim`` and ``release`` let one caller at a time refresh a key across everything sharing the
cache: the runtime's own single-flight merges calls within a process, a claim merges them across
processes (a second instance waits for the first one's answer instead of asking the agency too).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Cache", "CacheEntry", "MemoryCache"]


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A cached value and when it was fetched from the agency (seconds since the epoch)."""

    value: object
    stored_at: float

    def age(self, now: float) -> float:
        """Seconds since the value was fetched."""
        return now - self.stored_at


class Cache(Protocol):
    """Where connector results are kept between requests."""

    async def get(self, key: str) -> CacheEntry | None:
        """The entry under ``key``, or None when absent or past its ``ttl_seconds``."""
        ...

    async def set(self, key: str, entry: CacheEntry, *, ttl_seconds: float) -> None:
        """Keep ``entry`` under ``key`` for ``ttl_seconds``."""
        ...

    async def claim(self, key: str, *, seconds: float) -> bool:
        """Become the one refreshing ``key`` for at most ``seconds``; False when another is."""
        ...

    async def release(self, key: str) -> None:
        """End a claim made with :meth:`claim`."""
        ...


class MemoryCache:
    """An in-process LRU cache bounded to ``max_entries``; expiry follows ``clock``."""

    def __init__(
        self, *, max_entries: int = 10_000, clock: Callable[[], float] = time.time
    ) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, not {max_entries}")
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, CacheEntry]] = OrderedDict()
        self._claims: dict[str, float] = {}  # key -> when the claim lapses

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: str) -> CacheEntry | None:
        """The entry under ``key`` unless it expired (an expired entry is dropped)."""
        held = self._entries.get(key)
        if held is None:
            return None
        expires_at, entry = held
        if expires_at <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    async def set(self, key: str, entry: CacheEntry, *, ttl_seconds: float) -> None:
        """Keep ``entry``; the least recently used entry goes when the cache is full."""
        if ttl_seconds <= 0:
            self._entries.pop(key, None)
            return
        self._entries[key] = (self._clock() + ttl_seconds, entry)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def claim(self, key: str, *, seconds: float) -> bool:
        """Claim ``key`` unless an unexpired claim holds it."""
        now = self._clock()
        if self._claims.get(key, now) > now:
            return False
        self._claims[key] = now + seconds
        return True

    async def release(self, key: str) -> None:
        """Drop the claim on ``key``."""
        self._claims.pop(key, None)
