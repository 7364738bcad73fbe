"""Per-caller rate limits: each principal's token bucket (an anonymous caller's is its address's).

A key's own rate is its budget, else its tier's (``GATEWAY_RATE_LIMIT_<TIER>`` requests a
minute; 0 means unlimited). Answers carry the IETF draft's headers (draft-ietf-httpapi-
ratelimit-headers-07): ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset``
(seconds until the bucket is full) and ``RateLimit-Policy`` (``<limit>;w=60``); a refused
request is 429 ``RATE_LIMITED`` with ``Retry-After``. When Redis fails, requests are let
through (and logged): an outage of the limiter must not become an outage of the graph.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.exceptions import RedisError

from gateway.access.buckets import WINDOW_SECONDS, Buckets, Verdict
from gateway.access.principal import Principal, Tier

__all__ = ["RateLimiter", "TierLimits", "rate_limit_headers"]

log = logging.getLogger("gateway.access")


@dataclass(frozen=True)
class TierLimits:
    """Requests a minute for callers whose key names no rate of its own (0: unlimited)."""

    public: int
    partner: int
    internal: int

    def of(self, principal: Principal) -> int:
        """The caller's budget a minute."""
        if principal.rate_per_minute is not None:
            return principal.rate_per_minute
        return {Tier.PUBLIC: self.public, Tier.PARTNER: self.partner}.get(
            principal.tier, self.internal
        )


class RateLimiter:
    """Takes one token from the caller's bucket for each request."""

    def __init__(
        self, buckets: Buckets, limits: TierLimits, clock: Callable[[], float] = time.time
    ) -> None:
        self._buckets = buckets
        self._limits = limits
        self._clock = clock

    async def take(self, principal: Principal, address: str | None) -> Verdict | None:
        """The caller's verdict, or None when it is unlimited (or the limiter is down)."""
        limit = self._limits.of(principal)
        if limit <= 0:
            return None
        key = f"anonymous:{address or 'unknown'}" if principal.anonymous else principal.id
        try:
            return await self._buckets.take(key, limit, self._clock())
        except (RedisError, OSError):
            log.warning("rate limit not checked: Redis failed", exc_info=True)
            return None


def rate_limit_headers(verdict: Verdict) -> dict[str, str]:
    """The RateLimit headers of an answer, and ``Retry-After`` when it is a refusal."""
    headers = {
        "RateLimit-Limit": str(verdict.limit),
        "RateLimit-Remaining": str(verdict.remaining),
        "RateLimit-Reset": str(math.ceil(verdict.reset)),
        "RateLimit-Policy": f"{verdict.limit};w={WINDOW_SECONDS:.0f}",
    }
    if not verdict.allowed:
        headers["Retry-After"] = str(max(1, math.ceil(verdict.retry_after)))
    return headers
