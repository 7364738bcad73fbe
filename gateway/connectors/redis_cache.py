"""The connector cache in Redis, shared by every gateway instance: :class:`RedisCache`.

Entries are pickled with the time they expire, so freshness and expiry follow the ``clock`` the
runtime uses (Redis' own expiry, set a little later, only reclaims memory). Unpickling accepts
only the gateway's own types and plain data (:class:`_GatewayUnpickler`): what is read back from
Redis can build values, never call arbitrary code.

Redis failing is not the agency failing: a read that fails is a miss, a write that fails is
skipped, a claim that fails lets the caller go ahead, each logged. Requests still get answers,
only without the shared cache while Redis is away.
"""

from __future__ import annotations

import io
import logging
import math
import pickle
import time
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError

from gateway.connectors.cache import CacheEntry
from gateway.shared_state import SharedRedis

__all__ = ["RedisCache"]

log = logging.getLogger("gateway.connectors.cache")

_SAFE_BUILTINS = frozenset(
    {"bytearray", "bytes", "complex", "dict", "frozenset", "list", "set", "slice", "tuple"}
)
_SAFE_MODULES = frozenset({"datetime", "decimal", "zoneinfo", "collections", "enum"})
_REDIS_GRACE_SECONDS = 5  # Redis keeps an entry this much past its expiry (clock skew)


class _GatewayUnpickler(pickle.Unpickler):
    """Builds only the gateway's own classes and plain data types."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = (
            module.startswith("gateway.")
            or module in _SAFE_MODULES
            or (module == "builtins" and name in _SAFE_BUILTINS)
        )
        if not allowed:
            raise pickle.UnpicklingError(f"refusing to build {module}.{name} from the cache")
        return super().find_class(module, name)


def _loads(data: bytes) -> Any:
    return _GatewayUnpickler(io.BytesIO(data)).load()


class RedisCache:
    """Connector results in Redis under ``<prefix>cache:<key>``; claims under ``flight:<key>``."""

    def __init__(self, redis: SharedRedis, *, clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._clock = clock

    async def get(self, key: str) -> CacheEntry | None:
        """The entry under ``key`` unless it expired; None (logged) when Redis fails."""
        try:
            data = await self._redis.client.get(self._redis.key("cache", key))
        except RedisError as error:
            log.warning("connector cache unreachable, reading %s as a miss: %s", key, error)
            return None
        if not isinstance(data, bytes):
            return None
        try:
            expires_at, stored_at, value = _loads(data)
        except (pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            log.warning("connector cache entry %s could not be read; treated as a miss", key)
            return None
        if expires_at <= self._clock():
            return None
        return CacheEntry(value, stored_at)

    async def set(self, key: str, entry: CacheEntry, *, ttl_seconds: float) -> None:
        """Keep ``entry`` for ``ttl_seconds``; a zero TTL deletes the key."""
        name = self._redis.key("cache", key)
        try:
            if ttl_seconds <= 0:
                await self._redis.client.delete(name)
                return
            data = pickle.dumps(
                (self._clock() + ttl_seconds, entry.stored_at, entry.value),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            expiry = math.ceil(ttl_seconds) + _REDIS_GRACE_SECONDS
            await self._redis.client.set(name, data, ex=expiry)
        except RedisError as error:
            log.warning("connector cache unreachable, %s not kept: %s", key, error)

    async def claim(self, key: str, *, seconds: float) -> bool:
        """``SET NX`` a claim that lapses after ``seconds``; True (logged) when Redis fails."""
        try:
            claimed = await self._redis.client.set(
                self._redis.key("flight", key), b"1", nx=True, px=max(1, int(seconds * 1000))
            )
        except RedisError as error:
            log.warning("connector cache unreachable, refreshing %s unclaimed: %s", key, error)
            return True
        return bool(claimed)

    async def release(self, key: str) -> None:
        """Delete the claim on ``key``."""
        try:
            await self._redis.client.delete(self._redis.key("flight", key))
        except RedisError as error:
            log.warning("connector cache unreachable, claim on %s left to lapse: %s", key, error)
