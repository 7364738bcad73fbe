"""The access check in front of every route but health and static files: who is asking, and
whether their budget allows one more request.

A refused credential is answered with 401 ``UNAUTHENTICATED`` (503 when the token issuer's
keys cannot be fetched: the caller did nothing wrong), a spent budget with 429
``RATE_LIMITED``; either way the request goes no further. A refused credential counts against
its address's anonymous budget, so guessing keys or tokens is limited like any anonymous use.
Every answer past the check, a 429 included, carries the caller's RateLimit headers.
"""

from __future__ import annotations

from typing import NamedTuple

from gateway.access.authentication import API_KEY_HEADER, Authenticator
from gateway.access.buckets import Verdict
from gateway.access.principal import ANONYMOUS, Principal
from gateway.access.rate_limit import (
    RateLimiter,
    rate_limit_headers,
    retry_after,
    spent_message,
)
from gateway.errors import GatewayError, RateLimited, Unauthenticated
from gateway.http.negotiation import choose_media_type
from gateway.http.params import HttpRequest
from gateway.http.responses import Answer, error_response

__all__ = ["OPEN_PATHS", "AccessGate", "Admission"]

OPEN_PATHS = ("/healthz", "/readyz", "/static/")  # answered to anyone, counted against no one
_API_KEY = API_KEY_HEADER.lower().encode()


class Admission(NamedTuple):  # a named tuple: made on every request, 3x cheaper than frozen
    """The check's word on one request: who asks, the headers every answer to it carries, and
    the answer instead of the request's own when it is refused."""

    principal: Principal
    headers: tuple[tuple[bytes, bytes], ...] = ()
    refusal: Answer | None = None


class AccessGate:
    """Authenticates a request, then takes one token from its caller's bucket."""

    def __init__(self, authenticator: Authenticator, limiter: RateLimiter | None = None) -> None:
        self._authenticator = authenticator
        self._limiter = limiter

    async def admit(self, request: HttpRequest) -> Admission:
        """The admission of one HTTP request."""
        key, authorization = request.header(_API_KEY), request.header(b"authorization")
        try:
            principal = await self._authenticator.principal(key, authorization)
        except GatewayError as refused:
            return await self._refused(request, refused)
        verdict = await self._verdict(request, principal)
        if verdict is None:
            return Admission(principal)
        refusal = None if verdict.allowed else _refusal(_spent(verdict), request, verdict)
        return Admission(principal, rate_limit_headers(verdict), refusal)

    async def _refused(self, request: HttpRequest, error: GatewayError) -> Admission:
        """A refused credential spends its address's anonymous budget: guessing is limited too."""
        if isinstance(error, Unauthenticated):
            verdict = await self._verdict(request, ANONYMOUS)
            if verdict is not None and not verdict.allowed:
                refusal = _refusal(_spent(verdict), request, verdict)
                return Admission(ANONYMOUS, rate_limit_headers(verdict), refusal)
        return Admission(ANONYMOUS, refusal=_refusal(error, request))

    async def _verdict(self, request: HttpRequest, principal: Principal) -> Verdict | None:
        if self._limiter is None:
            return None
        client = request.scope.get("client")
        return await self._limiter.take(principal, client[0] if client else None)


def _spent(verdict: Verdict) -> RateLimited:
    return RateLimited(spent_message(verdict))


def _refusal(error: GatewayError, request: HttpRequest, verdict: Verdict | None = None) -> Answer:
    media = choose_media_type(request.header(b"accept")) or "application/json"
    if isinstance(error, Unauthenticated):
        challenge = {"WWW-Authenticate": 'Bearer realm="moi-gateway"'}
        return error_response(401, error.code, error.message, media, challenge)
    if verdict is not None:
        wait = {"Retry-After": str(retry_after(verdict))}
        return error_response(429, error.code, error.message, media, wait)
    return error_response(503, error.code, error.message, media, {"Retry-After": "5"})
