"""The audit trail's place in front of ``/graphql``: every request there leaves an entry.

It sits outside the access check, so a refused credential (401) is recorded too, and opens the
request's :class:`~gateway.request_scope.RequestScope`, which the view fills in (the document
asked for) and the connector runtime adds its calls to.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.access.principal import principal_of
from gateway.audit.writer import AuditEntry, AuditTrail
from gateway.request_scope import RequestScope, enter, leave

__all__ = ["AuditMiddleware"]


class AuditMiddleware:
    """Pure ASGI middleware: hands the trail one entry per request to ``path``."""

    def __init__(self, app: ASGIApp, trail: AuditTrail, path: str = "/graphql") -> None:
        self.app = app
        self._trail = trail
        self._path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self._path:
            await self.app(scope, receive, send)
            return
        started, trace, status = time.perf_counter(), RequestScope(), 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        token = enter(trace)  # not a context manager: this runs on every request
        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            leave(token)
            request_id = scope.get("state", {}).get("request_id", "")
            entry = AuditEntry.of(request_id, principal_of(scope), trace, status, started)
            self._trail.add(entry)
