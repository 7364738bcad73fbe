"""Per-caller rate limits: each principal's token bucket (an anonymous caller's is its address's).

A key's own rate is its budget, else its tier's (``GATEWAY_RATE_LIMIT_<TIER>`` requests a
minute; 0 means unlimited). Answers carry the two header fields of the IETF draft
(draft-ietf-httpapi-ratelimit-headers-10), one policy named ``default``:
``RateLimit-Policy: "default";q=<limit>;w=60`` and ``RateLimit: "default";r=<remaining>;t=<s>``
(``t``: seconds until the bucket is full again); a refused request is 429 ``RATE_LIMITED`` with
``Retry-After`` as well. When Redis fails, requests are let
through (and logged): an outage of the limiter must not become an outage of the graph.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.exceptions import RedisError

from gateway.access.buckets import WINDOW_SECONDS, Buckets, Verdict
from gateway.access.principal import Principal, Tier

__all__ = ["RateLimiter", "TierLimits", "rate_limit_headers", "retry_after", "spent_message"]

log = logging.getLogger("gateway.access")
_POLICY = b"default"  # the name of the one policy: a budget a minute


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
        if principal.tier is Tier.PUBLIC:
            return self.public
        return self.partner if principal.tier is Tier.PARTNER else self.internal


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


def rate_limit_headers(verdict: Verdict) -> tuple[tuple[bytes, bytes], ...]:
    """The RateLimit headers of an answer, as raw ASGI header pairs."""
    state = b'"%s";r=%d;t=%d' % (_POLICY, verdict.remaining, math.ceil(verdict.reset))
    return _policy(verdict.limit), (b"ratelimit", state)


@functools.lru_cache(maxsize=256)  # a few budgets (tiers, keys' own), each on every answer
def _policy(limit: int) -> tuple[bytes, bytes]:
    return b"ratelimit-policy", b'"%s";q=%d;w=%d' % (_POLICY, limit, WINDOW_SECONDS)


def retry_after(verdict: Verdict) -> int:
    """Whole seconds until a refused caller's next token (at least 1)."""
    return max(1, math.ceil(verdict.retry_after))


def spent_message(verdict: Verdict) -> str:
    """What a refused caller is told."""
    wait = retry_after(verdict)
    return f"{verdict.limit} requests a minute are spent; try again in {wait} s"
