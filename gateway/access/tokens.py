"""Bearer tokens: JWTs from the configured issuer, checked and turned into a principal.

A token must be signed by the issuer's key (an algorithm from the configured list; never
``none``), name the configured issuer and audience, carry ``sub`` and ``exp``, and not be
expired (30 seconds of clock skew allowed). Its scopes come from the configured claim, a
space-separated string (OAuth 2's ``scope``) or a list; the tier follows from them.

A token that passed is remembered (by its exact text) until it expires, for at most
``REMEMBER_SECONDS``: checking an RS256 signature costs about 0.1 ms, looking it up a
microsecond, and a caller sends the same token with every request. Only good tokens are kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

from gateway.access.jwks import JwksKeys, SigningKeys, StaticKey
from gateway.access.principal import INTERNAL_SCOPE, PARTNER_SCOPE, Principal, Tier
from gateway.errors import Unauthenticated
from gateway.execution import LruCache
from gateway.settings import Settings

__all__ = ["REMEMBER_SECONDS", "JwtPolicy", "JwtVerifier", "jwt_verifier"]

LEEWAY_SECONDS = 30
REMEMBER_SECONDS = 60.0
_REMEMBERED = 10_000  # tokens that passed, most recently used first
_REFUSALS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "the bearer token has expired"),
    (jwt.ImmatureSignatureError, "the bearer token is not valid yet"),
    (jwt.InvalidIssuerError, "the bearer token is from another issuer"),
    (jwt.InvalidAudienceError, "the bearer token is meant for another audience"),
    (jwt.MissingRequiredClaimError, "the bearer token lacks a required claim"),
    (jwt.InvalidSignatureError, "the bearer token's signature does not verify"),
    (jwt.InvalidAlgorithmError, "the bearer token is signed with an algorithm not accepted"),
)


@dataclass(frozen=True)
class JwtPolicy:
    """What a token must say to be accepted."""

    issuer: str
    audience: str
    algorithms: tuple[str, ...]
    scopes_claim: str


class JwtVerifier:
    """Checks bearer tokens against a policy and the issuer's signing keys."""

    def __init__(
        self, policy: JwtPolicy, keys: SigningKeys, clock: Callable[[], float] = time.time
    ) -> None:
        self._policy = policy
        self._keys = keys
        self._clock = clock
        self._passed: LruCache[str, tuple[float, Principal]] = LruCache(_REMEMBERED)

    async def principal(self, token: str) -> Principal:
        """The token's subject; UNAUTHENTICATED when it is forged, expired or not for us."""
        now = self._clock()
        passed = self._passed.get(token)
        if passed is not None and now < passed[0]:
            return passed[1]
        principal, expires = await self._verify(token)
        self._passed.put(token, (min(expires, now + REMEMBER_SECONDS), principal))
        return principal

    async def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated("the bearer token is not a JWT") from exc
        key = await self._keys.key_for(header.get("kid"))
        claims = self._claims(token, key)
        scopes = _scopes(claims.get(self._policy.scopes_claim))
        return Principal(f"jwt:{claims['sub']}", _tier(scopes), scopes), float(claims["exp"])

    def _claims(self, token: str, key: Any) -> dict[str, Any]:
        policy = self._policy
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=list(policy.algorithms),
                audience=policy.audience,
                issuer=policy.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            message = next((m for kind, m in _REFUSALS if isinstance(exc, kind)), None)
            raise Unauthenticated(message or "the bearer token is not valid") from exc
        return claims


def jwt_verifier(
    settings: Settings, session: Callable[[], aiohttp.ClientSession | None]
) -> JwtVerifier | None:
    """The verifier the settings describe, or None when no issuer is configured."""
    if settings.jwt_issuer is None:
        return None
    keys: SigningKeys
    if settings.jwt_jwks_url is not None:
        keys = JwksKeys(
            settings.jwt_jwks_url, session, cache_seconds=settings.jwt_jwks_cache_seconds
        )
    else:
        assert settings.jwt_key is not None, "Settings refuses an issuer without a key"
        keys = StaticKey(settings.jwt_key)
    policy = JwtPolicy(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        algorithms=settings.jwt_algorithm_list,
        scopes_claim=settings.jwt_scopes_claim,
    )
    return JwtVerifier(policy, keys)


def _scopes(claim: object) -> frozenset[str]:
    if isinstance(claim, str):
        return frozenset(claim.split())
    if isinstance(claim, list):
        return frozenset(s for s in claim if isinstance(s, str))
    return frozenset()


def _tier(scopes: frozenset[str]) -> Tier:
    if INTERNAL_SCOPE in scopes:
        return Tier.INTERNAL
    return Tier.PARTNER if PARTNER_SCOPE in scopes else Tier.PUBLIC
