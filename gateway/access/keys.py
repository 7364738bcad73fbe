"""API keys: issued once (only a hash is kept), listed, revoked, and turned into a principal.

A key reads ``moi_<id>_<secret>``: the id finds the row, the SHA-256 of the whole key must match
its hash. The secret holds 256 random bits, so a plain hash is enough; no one can guess a key
from its hash. Keys looked up recently are kept in process for ``cache_seconds`` (0: ask the
database every time), so a revocation reaches every instance within that time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.database import session_factory
from gateway.access.models import ApiKeyRow
from gateway.access.principal import ANONYMOUS, Principal, Tier
from gateway.errors import Unauthenticated
from gateway.execution import LruCache

__all__ = ["ApiKey", "KeyStore"]

_PREFIX = "moi"
_REMEMBERED = 10_000  # key ids looked up recently, known or not


class _Found(NamedTuple):
    """What a key id's row says, as plain values: ORM attributes cost every request more."""

    key_hash: str | None  # None: no key was issued with this id
    revoked: bool
    holder: Principal


_UNKNOWN = _Found(None, False, ANONYMOUS)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """What is known of an issued key (never the key itself)."""

    key_id: str
    name: str
    tier: Tier
    scopes: frozenset[str]
    rate_per_minute: int | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    def principal(self) -> Principal:
        """The caller presenting this key."""
        return Principal(f"key:{self.key_id}", self.tier, self.scopes, self.rate_per_minute)


class KeyStore:
    """The api_keys table, and the check of a presented key."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        cache_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = session_factory(engine)
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._recent: LruCache[str, tuple[float, _Found]] = LruCache(_REMEMBERED)

    async def issue(
        self, name: str, tier: Tier, scopes: Collection[str], rate_per_minute: int | None
    ) -> tuple[str, ApiKey]:
        """A new key (to be shown once) and its record."""
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        key = f"{_PREFIX}_{key_id}_{secret}"
        row = ApiKeyRow(
            key_id=key_id,
            key_hash=_hash(key),
            name=name,
            tier=tier.value,
            scopes=" ".join(sorted(set(scopes))),
            rate_per_minute=rate_per_minute,
            created_at=dt.datetime.now(dt.UTC),
        )
        async with self._sessions.begin() as session:
            session.add(row)
        return key, _record(row)

    async def keys(self) -> list[ApiKey]:
        """Every key ever issued, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at))
            return [_record(row) for row in rows]

    async def revoke(self, key_id: str) -> ApiKey | None:
        """Revoke a key from now on; None when no such key was issued."""
        now = dt.datetime.now(dt.UTC)
        async with self._sessions.begin() as session:
            await session.execute(
                update(ApiKeyRow)
                .where(ApiKeyRow.key_id == key_id, ApiKeyRow.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            row = await session.get(ApiKeyRow, key_id)
            return None if row is None else _record(row)

    async def principal(self, presented: str) -> Principal:
        """The holder of a presented key; UNAUTHENTICATED when it is unknown, wrong or revoked."""
        prefix, _, rest = presented.partition("_")
        key_id, _, secret = rest.partition("_")
        if prefix != _PREFIX or not key_id or not secret:
            raise Unauthenticated("the API key is not of the form this gateway issues")
        found = self._remembered(key_id)
        if found is None:
            found = await self._looked_up(key_id)
        if found.key_hash is None or not hmac.compare_digest(found.key_hash, _hash(presented)):
            raise Unauthenticated("the API key is not known")
        if found.revoked:
            raise Unauthenticated("the API key has been revoked")
        return found.holder

    def _remembered(self, key_id: str) -> _Found | None:
        """What was found of the key less than ``cache_seconds`` ago, or None.

        Not a coroutine: a remembered key costs no await, which every request would pay.
        """
        recent = self._recent.get(key_id)
        if recent is not None and self._clock() - recent[0] < self._cache_seconds:
            return recent[1]
        return None

    async def _looked_up(self, key_id: str) -> _Found:
        """What the key's row says, its holder built once while remembered, not per request."""
        async with self._sessions() as session:
            row: ApiKeyRow | None = await session.get(ApiKeyRow, key_id)
        found = _UNKNOWN
        if row is not None:
            found = _Found(row.key_hash, row.revoked_at is not None, _record(row).principal())
        if self._cache_seconds > 0:
            self._recent.put(key_id, (self._clock(), found))
        return found


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _record(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        key_id=row.key_id,
        name=row.name,
        tier=Tier(row.tier),
        scopes=frozenset(row.scopes.split()),
        rate_per_minute=row.rate_per_minute,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )
