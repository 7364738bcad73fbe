"""The access check in front of every route but health and static files: who is asking, and
whether their budget allows one more request.

The principal is attached to the ASGI scope's state (``request.state.principal``). A refused
credential is answered here with 401 ``UNAUTHENTICATED`` (503 when the token issuer's keys
cannot be fetched: the caller did nothing wrong), a spent budget with 429 ``RATE_LIMITED``;
either way the request goes no further. A refused credential counts against its address's
anonymous budget, so guessing keys or tokens is limited like any anonymous use. Every answer past the check carries the caller's
RateLimit headers.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.access.authentication import Authenticator
from gateway.access.buckets import Verdict
from gateway.access.principal import ANONYMOUS, Principal
from gateway.access.rate_limit import RateLimiter, rate_limit_headers
from gateway.errors import GatewayError, RateLimited, Unauthenticated
from gateway.http.negotiation import choose_media_type
from gateway.http.responses import error_response

__all__ = ["OPEN_PATHS", "AccessMiddleware"]

OPEN_PATHS = ("/healthz", "/readyz", "/static/")  # answered to anyone, counted against no one


class AccessMiddleware:
    """Pure ASGI middleware: authenticate, count, then pass the request on with its principal."""

    def __init__(
        self, app: ASGIApp, authenticator: Authenticator, limiter: RateLimiter | None = None
    ) -> None:
        self.app = app
        self._authenticator = authenticator
        self._limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            principal = await self._authenticator.principal(headers)
        except GatewayError as refused:
            await (await self._refused(scope, refused, headers))(scope, receive, send)
            return
        verdict = await self._verdict(scope, principal)
        if verdict is not None and not verdict.allowed:
            await _refusal(_spent(verdict), headers, verdict)(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send if verdict is None else _stamping(send, verdict))

    async def _refused(self, scope: Scope, error: GatewayError, headers: Headers) -> Response:
        """A refused credential spends its address's anonymous budget: guessing is limited too."""
        if isinstance(error, Unauthenticated):
            verdict = await self._verdict(scope, ANONYMOUS)
            if verdict is not None and not verdict.allowed:
                return _refusal(_spent(verdict), headers, verdict)
        return _refusal(error, headers)

    async def _verdict(self, scope: Scope, principal: Principal) -> Verdict | None:
        if self._limiter is None:
            return None
        client = scope.get("client")
        return await self._limiter.take(principal, client[0] if client else None)


def _spent(verdict: Verdict) -> RateLimited:
    wait = rate_limit_headers(verdict)["Retry-After"]
    return RateLimited(f"{verdict.limit} requests a minute are spent; try again in {wait} s")


def _stamping(send: Send, verdict: Verdict) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            # appended as raw pairs: the answer has none of them, and MutableHeaders would
            # scan every header once per name (a cost on every request)
            stamped = [
                (k.lower().encode(), v.encode()) for k, v in rate_limit_headers(verdict).items()
            ]
            message["headers"] = [*message.get("headers", ()), *stamped]
        await send(message)

    return send_with_headers


def _refusal(error: GatewayError, headers: Headers, verdict: Verdict | None = None) -> Response:
    media = choose_media_type(headers.get("accept")) or "application/json"
    if isinstance(error, Unauthenticated):
        challenge = {"WWW-Authenticate": 'Bearer realm="moi-gateway"'}
        return error_response(401, error.code, error.message, media, challenge)
    if verdict is not None:
        return error_response(429, error.code, error.message, media, rate_limit_headers(verdict))
    return error_response(503, error.code, error.message, media, {"Retry-After": "5"})
