"""How a request gets its principal: an ``X-API-Key`` header, an ``Authorization: Bearer`` token,
or neither (anonymous). A credential that is sent but not good is refused (401), never taken
for anonymous.
"""

from __future__ import annotations

from typing import Protocol

from gateway.access.keys import KeyStore
from gateway.access.principal import ANONYMOUS, Principal
from gateway.errors import Unauthenticated

__all__ = ["API_KEY_HEADER", "Authenticator", "TokenVerifier"]

API_KEY_HEADER = "X-API-Key"


class TokenVerifier(Protocol):
    """Checks a bearer token and says whose it is."""

    async def principal(self, token: str) -> Principal:
        """The token's subject; UNAUTHENTICATED when the token is not good."""
        ...


class Authenticator:
    """Turns a request's headers into its principal."""

    def __init__(self, keys: KeyStore, tokens: TokenVerifier | None = None) -> None:
        self._keys = keys
        self._tokens = tokens

    async def principal(self, key: str | None, authorization: str | None) -> Principal:
        """The caller presenting an API key and/or an ``Authorization`` header (None: not
        sent); UNAUTHENTICATED for a bad, expired, forged or revoked credential."""
        if key is not None and authorization is not None:
            raise Unauthenticated(f"send one credential: {API_KEY_HEADER} or Authorization")
        if key is not None:
            return await self._keys.principal(key.strip())
        if authorization is not None:
            return await self._bearer(authorization)
        return ANONYMOUS

    async def _bearer(self, authorization: str) -> Principal:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Authorization must read `Bearer <token>`")
        if self._tokens is None:
            raise Unauthenticated("this gateway accepts no bearer tokens (no issuer is configured)")
        return await self._tokens.principal(token.strip())
