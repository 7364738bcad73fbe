"""The access checks as the settings describe them: keys, tokens and rate limits, made once per
app and shared by HTTP (the front door) and the WebSocket."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.access.authentication import Authenticator
from gateway.access.buckets import Buckets, MemoryBuckets, RedisBuckets
from gateway.access.keys import KeyStore
from gateway.access.rate_limit import RateLimiter, TierLimits
from gateway.access.tokens import jwt_verifier
from gateway.settings import Settings
from gateway.shared_state import SharedRedis

__all__ = ["AccessChecks", "access_checks"]


@dataclass(frozen=True)
class AccessChecks:
    """Who is asking (``authenticator``) and whether their budget allows more (``limiter``)."""

    authenticator: Authenticator
    limiter: RateLimiter


def access_checks(
    settings: Settings,
    engine: AsyncEngine,
    redis: SharedRedis | None,
    session: Callable[[], aiohttp.ClientSession | None],
    *,
    clock: Callable[[], float] = time.time,
) -> AccessChecks:
    """The checks: API keys in ``engine``, buckets in Redis when there is one."""
    keys = KeyStore(engine, cache_seconds=settings.api_key_cache_seconds)
    authenticator = Authenticator(keys, jwt_verifier(settings, session))
    buckets: Buckets = MemoryBuckets() if redis is None else RedisBuckets(redis)
    limits = TierLimits(
        public=settings.rate_limit_public,
        partner=settings.rate_limit_partner,
        internal=settings.rate_limit_internal,
    )
    return AccessChecks(authenticator, RateLimiter(buckets, limits, clock))
