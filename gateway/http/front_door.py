"""The first thing every HTTP request meets: its id, who asks and whether their budget allows
one more, and for GraphQL its entry in the audit trail.

One pure ASGI layer rather than three, with one wrapper around ``send`` that stamps
``X-Request-Id`` (and the caller's RateLimit headers) on the answer and notes its status: the
request path runs once per request, and every layer and wrapper costs the registry's
throughput a few microseconds. For the same reason the gateway's app (:class:`GatewayApp`)
puts the front door outside all of Starlette's own layers, and a GraphQL request over HTTP
(``graphql_path``) goes from here straight to its endpoint, past Starlette's error and
exception layers and its router, which have nothing to do for it; every other request (the
WebSocket on the same path too) takes the app's layers and routes.

- **Request id**: the caller's own when it is plain, else a new one
  (:func:`~gateway.http.request_id.request_id_of`), in ``request.state.request_id`` and, for
  everything logged meanwhile, in :data:`~gateway.http.request_id.current_request_id`.
- **Access** (all paths but :data:`~gateway.access.OPEN_PATHS`): the principal goes to
  ``request.state.principal``; a refused one is answered here and goes no further.
- **Audit** (GraphQL only, when there is a trail): a :class:`~gateway.request_scope.RequestScope`
  is current while the request is handled (the view notes the document, connectors their
  calls), then one entry goes to the trail, a refused credential's (401) and a spent budget's
  (429) too.
- **Last resort**: an exception nothing else handled is logged with the request id and, when
  no answer has started, answered 500 ``INTERNAL`` with that id in the GraphQL error shape;
  nothing of it is shown.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.access.admission import OPEN_PATHS, AccessGate
from gateway.access.principal import ANONYMOUS
from gateway.audit.writer import AuditEntry, AuditTrail
from gateway.errors import masked
from gateway.http.params import HttpRequest
from gateway.http.request_id import current_request_id, request_id_of
from gateway.http.responses import dump, json_response
from gateway.request_scope import RequestScope, enter, leave

__all__ = ["FrontDoor", "GatewayApp", "HttpEndpoint"]

log = logging.getLogger("gateway.http")

_Serve = Callable[[HttpRequest, Send], Awaitable[None]]


class HttpEndpoint(Protocol):
    """What serves the GraphQL path: one HTTP request, read once, answered through ``send``."""

    async def serve(self, request: HttpRequest, send: Send) -> None:
        """Answer ``request``."""


class FrontDoor:
    """Pure ASGI middleware: request id, access check and audit entry in one pass."""

    def __init__(
        self,
        app: ASGIApp,
        gate: AccessGate | None = None,
        trail: AuditTrail | None = None,
        graphql: HttpEndpoint | None = None,
        graphql_path: str = "/graphql",
    ) -> None:
        self.app = app
        self._gate = gate
        self._trail = trail
        self._graphql_path = graphql_path
        self._serve_graphql: _Serve = self._routed if graphql is None else graphql.serve

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = HttpRequest.of(scope, receive)
        request_id = request_id_of(request.headers.get(b"x-request-id"))
        scope.setdefault("state", {})["request_id"] = request_id
        reply = _Reply(send, request_id)
        token = current_request_id.set(request_id)
        try:
            if scope["path"] != self._graphql_path:
                await self._admitted(request, reply, self._routed)
            elif self._trail is not None:
                await self._audited(self._trail, request, reply)
            else:
                await self._admitted(request, reply, self._serve_graphql)
        except Exception:  # the last resort: logged, and answered if nothing was yet
            log.exception("request %s failed", request_id)
            if not reply.started:
                failed = json_response(dump({"errors": [masked(request_id)]}), _JSON, 500)
                await failed(scope, receive, reply)
        finally:
            current_request_id.reset(token)

    async def _audited(self, trail: AuditTrail, request: HttpRequest, reply: _Reply) -> None:
        """Handle the request within a scope of its own, then hand the trail its entry."""
        started, trace = time.perf_counter(), RequestScope()
        token = enter(trace)  # not a context manager: this runs on every request
        try:
            await self._admitted(request, reply, self._serve_graphql)
        finally:
            leave(token)
            state = request.scope["state"]
            principal = state.get("principal", ANONYMOUS)
            trail.add(AuditEntry.of(state["request_id"], principal, trace, reply.status, started))

    async def _admitted(self, request: HttpRequest, reply: _Reply, serve: _Serve) -> None:
        """Let ``serve`` answer the request once the gate lets it in; else send the refusal."""
        scope = request.scope
        if self._gate is not None and not scope["path"].startswith(OPEN_PATHS):
            admission = await self._gate.admit(request)
            scope["state"]["principal"] = admission.principal
            reply.stamps.extend(admission.headers)
            if admission.refusal is not None:
                await admission.refusal(scope, request.receive, reply)
                return
        await serve(request, reply)

    async def _routed(self, request: HttpRequest, send: Send) -> None:
        """Through the app's own layers and routes."""
        await self.app(request.scope, request.receive, send)


class GatewayApp(Starlette):
    """A Starlette app whose front door stands outside Starlette's own layers (its error and
    exception middleware), so the GraphQL path passes through none of them.

    ``front_door`` makes the door around the app's usual stack when the app first serves.
    """

    def __init__(self, front_door: Callable[[ASGIApp], FrontDoor], **options: Any) -> None:
        self._front_door = front_door
        super().__init__(**options)

    def build_middleware_stack(self) -> ASGIApp:
        """The front door, around Starlette's own stack."""
        return self._front_door(super().build_middleware_stack())


_JSON = "application/json"


class _Reply:
    """``send``, stamping the answer's headers and noting its status (500 until one starts)."""

    __slots__ = ("send", "stamps", "started", "status")

    def __init__(self, send: Send, request_id: str) -> None:
        self.send, self.status, self.started = send, 500, False
        self.stamps = [(b"x-request-id", request_id.encode())]

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status, self.started = message["status"], True
            # appended as raw pairs: no answer sets these itself, and MutableHeaders would
            # scan every header once per name
            message["headers"] = [*message.get("headers", ()), *self.stamps]
        await self.send(message)
