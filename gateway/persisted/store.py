"""Where automatically persisted documents are kept: in process, or in Redis for every instance."""

from __future__ import annotations

from typing import Protocol

from gateway.execution import LruCache
from gateway.shared_state import SharedRedis

__all__ = ["DocumentStore", "MemoryDocuments", "RedisDocuments", "open_store"]


class DocumentStore(Protocol):
    """Document texts by their SHA-256 hash (lowercase hex)."""

    async def get(self, sha256: str) -> str | None:
        """The document with this hash, or None."""

    async def put(self, sha256: str, document: str) -> None:
        """Keep ``document`` under its hash."""


class MemoryDocuments:
    """This process's documents, the least recently used dropped beyond ``size``."""

    def __init__(self, size: int) -> None:
        self._documents: LruCache[str, str] = LruCache(size)

    async def get(self, sha256: str) -> str | None:
        """The document with this hash, or None."""
        return self._documents.get(sha256)

    async def put(self, sha256: str, document: str) -> None:
        """Keep ``document`` under its hash."""
        self._documents.put(sha256, document)


class RedisDocuments:
    """Documents shared by every instance, each kept ``ttl_seconds`` after its last use."""

    def __init__(self, redis: SharedRedis, ttl_seconds: int = 7 * 24 * 3600) -> None:
        self._redis = redis
        self._ttl = ttl_seconds

    async def get(self, sha256: str) -> str | None:
        """The document with this hash, or None; its life starts again."""
        found = await self._redis.client.getex(self._key(sha256), ex=self._ttl)
        if found is None:
            return None
        return found.decode("utf-8") if isinstance(found, bytes) else str(found)

    async def put(self, sha256: str, document: str) -> None:
        """Keep ``document`` under its hash."""
        await self._redis.client.set(self._key(sha256), document.encode("utf-8"), ex=self._ttl)

    def _key(self, sha256: str) -> str:
        return self._redis.key("apq", sha256)


def open_store(redis: SharedRedis | None, size: int) -> DocumentStore:
    """Redis when the gateway has it, this process's memory otherwise."""
    return MemoryDocuments(size) if redis is None else RedisDocuments(redis)
