"""The first thing every HTTP request meets: its id, who asks and whether their budget allows
one more, and for ``/graphql`` its entry in the audit trail.

One pure ASGI layer rather than three, with one wrapper around ``send`` that stamps
``X-Request-Id`` (and the caller's RateLimit headers) on the answer and notes its status: the
request path runs once per request, and every layer and wrapper costs the registry's
throughput a few microseconds.

- **Request id**: the caller's own when it is plain, else a new one
  (:func:`~gateway.http.request_id.request_id_of`), in ``request.state.request_id`` and, for
  everything logged meanwhile, in :data:`~gateway.http.request_id.current_request_id`.
- **Access** (all paths but :data:`~gateway.access.OPEN_PATHS`): the principal goes to
  ``request.state.principal``; a refused one is answered here and goes no further.
- **Audit** (``audited_path`` only): a :class:`~gateway.request_scope.RequestScope` is current
  while the request is handled (the view notes the document, connectors their calls), then one
  entry goes to the trail, a refused credential's (401) and a spent budget's (429) too.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.access.admission import OPEN_PATHS, AccessGate
from gateway.access.principal import ANONYMOUS
from gateway.audit.writer import AuditEntry, AuditTrail
from gateway.http.request_id import current_request_id, request_id_of
from gateway.request_scope import RequestScope, enter, leave

__all__ = ["FrontDoor"]


class FrontDoor:
    """Pure ASGI middleware: request id, access check and audit entry in one pass."""

    def __init__(
        self,
        app: ASGIApp,
        gate: AccessGate | None = None,
        trail: AuditTrail | None = None,
        audited_path: str = "/graphql",
    ) -> None:
        self.app = app
        self._gate = gate
        self._trail = trail
        self._audited_path = audited_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope["headers"])
        scope.setdefault("state", {})["request_id"] = request_id
        reply = _Reply(send, request_id)
        token = current_request_id.set(request_id)
        try:
            if self._trail is not None and scope["path"] == self._audited_path:
                await self._audited(self._trail, scope, receive, reply)
            else:
                await self._admitted(scope, receive, reply)
        finally:
            current_request_id.reset(token)

    async def _audited(
        self, trail: AuditTrail, scope: Scope, receive: Receive, reply: _Reply
    ) -> None:
        """Handle the request within a scope of its own, then hand the trail its entry."""
        started, trace = time.perf_counter(), RequestScope()
        token = enter(trace)  # not a context manager: this runs on every request
        try:
            await self._admitted(scope, receive, reply)
        finally:
            leave(token)
            principal = scope["state"].get("principal", ANONYMOUS)
            request_id = scope["state"]["request_id"]
            trail.add(AuditEntry.of(request_id, principal, trace, reply.status, started))

    async def _admitted(self, scope: Scope, receive: Receive, reply: _Reply) -> None:
        """Pass the request on once the gate lets it in; else send the gate's refusal."""
        if self._gate is None or scope["path"].startswith(OPEN_PATHS):
            await self.app(scope, receive, reply)
            return
        admission = await self._gate.admit(scope)
        scope["state"]["principal"] = admission.principal
        reply.stamps.extend(admission.headers)
        await (admission.refusal or self.app)(scope, receive, reply)


class _Reply:
    """``send``, stamping the answer's headers and noting its status (500 until one starts)."""

    __slots__ = ("send", "stamps", "status")

    def __init__(self, send: Send, request_id: str) -> None:
        self.send, self.status = send, 500
        self.stamps = [(b"x-request-id", request_id.encode())]

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            # appended as raw pairs: no answer sets these itself, and MutableHeaders would
            # scan every header once per name
            message["headers"] = [*message.get("headers", ()), *self.stamps]
        await self.send(message)
