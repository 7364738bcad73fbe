"""The keys that sign bearer tokens: one configured key, or an issuer's JWKS fetched and cached.

The JWKS document is fetched with the process's aiohttp session (never a blocking call on the
event loop), kept for ``cache_seconds``, and fetched again early when a token names a key id it
does not hold (an issuer rotating its keys), at most once per ``REFETCH_SECONDS``. Callers at
the same moment share one fetch. When the issuer cannot be reached, the keys fetched before
stand in; with none, the request is answered ``UPSTREAM_UNAVAILABLE`` (not the caller's fault).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, Protocol

import aiohttp
import jwt

from gateway.errors import (
    Unauthenticated,
    UpstreamBadResponse,
    UpstreamError,
    UpstreamUnavailable,
)

__all__ = ["REFETCH_SECONDS", "JwksKeys", "SigningKeys", "StaticKey"]

REFETCH_SECONDS = 30.0
_CONNECTOR = "jwks"  # how errors name the issuer's key endpoint
_TIMEOUT = aiohttp.ClientTimeout(total=5)


class SigningKeys(Protocol):
    """Where the key that verifies a token comes from."""

    async def key_for(self, kid: str | None) -> Any:
        """The key for a token's ``kid`` header; UNAUTHENTICATED when there is none."""
        ...


class StaticKey:
    """One configured key: a PEM public key, or a shared secret for HMAC algorithms."""

    def __init__(self, key: str) -> None:
        self._key = key

    async def key_for(self, kid: str | None) -> Any:
        """The configured key, whatever the token's ``kid``."""
        return self._key


class JwksKeys:
    """An issuer's JSON Web Key Set, fetched over HTTP and cached."""

    def __init__(
        self,
        url: str,
        session: Callable[[], aiohttp.ClientSession | None],
        *,
        cache_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._session = session
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str | None) -> Any:
        """The key named ``kid`` (or the only key, when the token names none)."""
        if self._stale() or (kid not in self._keys and self._may_refetch()):
            await self._refresh()
        found = self._keys.get(kid)
        if found is None:
            raise Unauthenticated("the bearer token is signed by a key the issuer does not list")
        return found.key

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self._cache_seconds

    def _may_refetch(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= REFETCH_SECONDS

    async def _refresh(self) -> None:
        fetched_at = self._fetched_at
        async with self._lock:
            if self._fetched_at != fetched_at:
                return  # another caller fetched while this one waited
            try:
                self._keys = _by_kid(await self._fetch())
            except UpstreamError:
                if not self._keys:
                    raise
            self._fetched_at = self._clock()

    async def _fetch(self) -> dict[str, Any]:
        session = self._session()
        if session is None:
            raise UpstreamUnavailable("the gateway is not started", connector=_CONNECTOR)
        try:
            async with session.get(self._url, timeout=_TIMEOUT) as answer:
                if answer.status != 200:
                    raise UpstreamUnavailable(
                        f"the issuer's JWKS answered {answer.status}", connector=_CONNECTOR
                    )
                body: dict[str, Any] = await answer.json(content_type=None)
                return body
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            message = "the issuer's JWKS could not be read"
            raise UpstreamUnavailable(message, connector=_CONNECTOR) from exc


def _by_kid(document: dict[str, Any]) -> dict[str | None, jwt.PyJWK]:
    try:
        keys = jwt.PyJWKSet.from_dict(document).keys
    except jwt.PyJWTError as exc:
        message = "the issuer's JWKS holds no usable key"
        raise UpstreamBadResponse(message, connector=_CONNECTOR) from exc
    found: dict[str | None, jwt.PyJWK] = {k.key_id: k for k in keys if k.key_id}
    if len(keys) == 1:
        found[None] = keys[0]  # a token that names no key may use the only one
    return found
