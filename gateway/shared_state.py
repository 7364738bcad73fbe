"""The link to Redis, where instances share state in production (cache, limits, pub/sub).

With ``GATEWAY_REDIS_URL`` unset, :func:`open_redis` gives ``None`` and every user of shared state
falls back to its in-process implementation. Keys are prefixed with ``GATEWAY_REDIS_PREFIX`` so
that several deployments (or test runs) can share one Redis database without meeting.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

__all__ = ["SharedRedis", "open_redis"]


@dataclass(frozen=True)
class SharedRedis:
    """One client (a connection pool) per process, and the prefix every key carries."""

    client: Redis
    prefix: str

    def key(self, *parts: str) -> str:
        """A key under this deployment's prefix: ``key("ratelimit", "k1")`` -> ``moi:ratelimit:k1``."""
        return self.prefix + ":".join(parts)

    async def close(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()


def open_redis(url: str | None, prefix: str) -> SharedRedis | None:
    """A client for ``url`` (it connects on first use), or ``None`` when no URL is set."""
    if not url:
        return None
    return SharedRedis(Redis.from_url(url), prefix)
