"""GraphQL over WebSocket on ``/graphql``: the ``graphql-transport-ws`` protocol.

Written on Starlette's WebSocket, not strawberry's protocol handler: that handler executes
through strawberry's own schema and view classes, while every operation here goes through the
same :class:`~gateway.execution.Executor` (cached parsing and validation), context and error
formatting as GraphQL over HTTP.

The client offers the subprotocol, sends ``connection_init`` within
``GATEWAY_SUBSCRIPTION_INIT_SECONDS`` and gets ``connection_ack``. Its optional object payload
carries the credentials HTTP callers send as headers (``X-API-Key`` or ``Authorization:
Bearer``, in any case); without them the upgrade request's headers count, and without any the
caller is anonymous. Every operation of the connection runs as that principal; a credential
that is not good closes the connection (4403), never falls back to anonymous. Then
``subscribe`` messages run operations (a subscription streams ``next`` until either side sends ``complete``;
a query or mutation answers one ``next`` and ``complete``); ``error`` carries the errors of an
operation that could not start. ``ping`` is answered with ``pong`` at any time. Close codes:

====  ==========================================================================
4400  a message that is not the protocol's
4401  ``subscribe`` before ``connection_ack``
4403  credentials in ``connection_init`` (or the upgrade request) that are not good
4406  the client did not offer ``graphql-transport-ws``
4408  no ``connection_init`` in time
4409  ``subscribe`` with the id of an operation still running
4500  the credentials could not be checked (the token issuer's keys could not be fetched)
4429  a second ``connection_init``
====  ==========================================================================

Operations meet the same limits as over HTTP: each ``subscribe`` takes one request from the
caller's rate-limit budget (RATE_LIMITED with ``retryAfter`` when it is spent), and depth,
aliases, tokens, cost, persisted and trusted documents and introspection rules hold (a query or
mutation also has the request deadline). At most ``GATEWAY_SUBSCRIPTIONS_PER_CONNECTION``
operations run at once on a connection; one more is refused with an ``error`` (BAD_REQUEST),
and the connection stays open.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from graphql import ExecutionResult, GraphQLError, OperationType
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from central_codes.snapshot import Snapshot
from gateway.access.authentication import API_KEY_HEADER
from gateway.access.buckets import Verdict
from gateway.access.gate import AccessChecks
from gateway.access.principal import ANONYMOUS, Principal
from gateway.access.rate_limit import retry_after, spent_message
from gateway.errors import GatewayError, RateLimited, Unauthenticated
from gateway.execution import Executor, PreparedDocument
from gateway.http.graphql import GraphQLEndpoint, format_errors, result_body
from gateway.http.params import GraphQLParams, RequestProblem
from gateway.http.request_id import request_id_of
from gateway.http.responses import dump
from gateway.http.transport_ws import PROTOCOL, Close, read_message, subscribe_params
from gateway.registry import Registry
from gateway.schema.context import GraphContext

__all__ = ["PROTOCOL", "SubscriptionEndpoint"]

_CREDENTIALS = frozenset({API_KEY_HEADER.lower(), "authorization"})
log = logging.getLogger("gateway.subscriptions")


class SubscriptionEndpoint:
    """The ASGI endpoint behind the ``/graphql`` WebSocket."""

    def __init__(
        self,
        graphql: GraphQLEndpoint,
        executor: Executor,
        registry: Registry,
        access: AccessChecks,
        *,
        max_operations: int,
        init_seconds: float,
    ) -> None:
        self.graphql, self.executor, self.registry = graphql, executor, registry
        self.access = access
        self.max_operations = max_operations
        self.init_seconds = init_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        if PROTOCOL not in scope.get("subprotocols", []):
            await websocket.accept()
            await websocket.close(4406, "Subprotocol not acceptable")
            return
        await websocket.accept(subprotocol=PROTOCOL)
        request_id = request_id_of(dict(scope["headers"]).get(b"x-request-id"))
        await _Connection(self, websocket, request_id).serve()


class _Connection:
    """One client's socket: its state and its running operations."""

    def __init__(
        self, endpoint: SubscriptionEndpoint, websocket: WebSocket, request_id: str
    ) -> None:
        self.endpoint, self.websocket, self.request_id = endpoint, websocket, request_id
        self.initialised = self.acknowledged = False
        self.principal = ANONYMOUS
        self.operations: dict[str, asyncio.Task[None]] = {}
        self._sending = asyncio.Lock()
        self._handlers: dict[str, Callable[[dict[str, Any]], Coroutine[Any, Any, None]]] = {
            "connection_init": self._init,
            "ping": self._ping,
            "pong": self._pong,
            "subscribe": self._subscribe,
            "complete": self._complete,
        }

    async def serve(self) -> None:
        """Read messages until the client leaves or breaks the protocol."""
        try:
            await self._read()
        except Close as close:
            await self.websocket.close(close.code, close.reason)
        except WebSocketDisconnect:
            pass
        finally:
            running = list(self.operations.values())
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _read(self) -> None:
        deadline = asyncio.get_running_loop().time() + self.endpoint.init_seconds
        while True:
            message = await self._receive(None if self.initialised else deadline)
            handler = self._handlers.get(message["type"])
            if handler is None:
                raise Close(4400, f"Unknown message type {str(message['type'])[:40]!r}")
            await handler(message)

    async def _receive(self, deadline: float | None) -> dict[str, Any]:
        try:
            async with asyncio.timeout_at(deadline):
                received = await self.websocket.receive()
        except TimeoutError:
            raise Close(4408, "Connection initialisation timeout") from None
        if received["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(received.get("code", 1000))
        return read_message(received.get("text") or received.get("bytes") or b"")

    async def _send(self, message: dict[str, Any]) -> None:
        async with self._sending:
            await self.websocket.send_text(dump(message).decode())

    async def _init(self, message: dict[str, Any]) -> None:
        if self.initialised:
            raise Close(4429, "Too many initialisation requests")
        self.initialised = True
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            raise Close(4400, "The connection_init payload must be an object")
        credentials = self._credentials(payload)
        try:
            self.principal = await self.endpoint.access.authenticator.principal(
                credentials.get(API_KEY_HEADER), credentials.get("authorization")
            )
        except Unauthenticated as refused:
            await self._budget(ANONYMOUS)  # guessing credentials spends the address's budget
            raise Close(4403, f"Forbidden: {refused.message}"[:120]) from None
        except GatewayError as failed:  # the token issuer's keys could not be fetched
            raise Close(4500, f"Internal error: {failed.message}"[:120]) from None
        self.acknowledged = True
        await self._send({"type": "connection_ack"})

    def _credentials(self, payload: dict[str, Any]) -> Headers:
        """The payload's credentials as headers, else the upgrade request's own headers."""
        given = {k: v for k, v in payload.items() if k.lower() in _CREDENTIALS}
        if not given:
            return Headers(scope=self.websocket.scope)
        if not all(isinstance(v, str) for v in given.values()):
            raise Close(4400, "Credentials in connection_init must be strings")
        return Headers(headers=given)

    async def _ping(self, message: dict[str, Any]) -> None:
        await self._send({"type": "pong"})

    async def _pong(self, message: dict[str, Any]) -> None:
        return None

    async def _complete(self, message: dict[str, Any]) -> None:
        task = self.operations.pop(str(message.get("id")), None)
        if task is not None:
            task.cancel()

    async def _subscribe(self, message: dict[str, Any]) -> None:
        if not self.acknowledged:
            raise Close(4401, "Unauthorized")
        operation_id, params = subscribe_params(message)
        if operation_id in self.operations:
            raise Close(4409, f"Subscriber for {operation_id[:40]} already exists")
        if len(self.operations) >= self.endpoint.max_operations:
            limit = self.endpoint.max_operations
            await self._refuse(operation_id, "BAD_REQUEST", f"at most {limit} operations at once")
            return
        verdict = await self._budget(self.principal)
        if verdict is not None and not verdict.allowed:
            await self._error(operation_id, [_rate_limited(verdict)])
            return
        try:
            params = await self.endpoint.graphql.document_params(params, self.principal)
        except RequestProblem as problem:
            await self._refuse(operation_id, problem.code, problem.message)
            return
        await self._start(operation_id, params)

    async def _start(self, operation_id: str, params: GraphQLParams) -> None:
        prepared = self.endpoint.executor.prepare(params.query)
        if prepared.errors:
            await self._error(operation_id, list(prepared.errors))
        elif (operation := prepared.operation(params.operation_name)) is None:
            message = "name the operation to run in `operationName`"
            await self._refuse(operation_id, "BAD_REQUEST", message)
        elif forbidden := self.endpoint.graphql.refused_to(prepared, self.principal):
            await self._error(operation_id, forbidden)
        elif not self.endpoint.registry.service.loaded:
            await self._refuse(operation_id, "NOT_READY", "the registry is not loaded yet")
        elif refused := self.endpoint.executor.over_cost(prepared, self._snapshot()):
            await self._error(operation_id, list(refused))
        elif operation.operation is OperationType.SUBSCRIPTION:
            await self._stream(operation_id, prepared, params)
        else:
            self._run(operation_id, self._single(operation_id, prepared, params))

    async def _stream(
        self, operation_id: str, prepared: PreparedDocument, params: GraphQLParams
    ) -> None:
        # the source stream is made here, before the next message is read: an event published
        # after this returns reaches the subscriber
        variables, name = params.variables, params.operation_name
        executor = self.endpoint.executor
        stream = await executor.subscribe(prepared, name, variables, self._context())
        if isinstance(stream, ExecutionResult):
            await self._error(operation_id, list(stream.errors or ()))
            return
        self._run(operation_id, self._pump(operation_id, stream))

    def _run(self, operation_id: str, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.operations[operation_id] = task
        task.add_done_callback(lambda done: self._finished(operation_id, done))

    def _finished(self, operation_id: str, task: asyncio.Task[None]) -> None:
        if self.operations.get(operation_id) is task:
            del self.operations[operation_id]
        if not task.cancelled() and task.exception() is not None:
            log.error("operation %s failed", operation_id, exc_info=task.exception())

    async def _pump(self, operation_id: str, stream: AsyncIterator[ExecutionResult]) -> None:
        try:
            async for result in stream:
                await self._next(operation_id, result)
            await self._send({"id": operation_id, "type": "complete"})
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    async def _single(
        self, operation_id: str, prepared: PreparedDocument, params: GraphQLParams
    ) -> None:
        result = await self.endpoint.graphql.execute(prepared, params, self._context())
        if result is None:
            message = "the request's deadline passed; nothing was answered in time"
            await self._refuse(operation_id, "DEADLINE_EXCEEDED", message)
            return
        await self._next(operation_id, result)
        await self._send({"id": operation_id, "type": "complete"})

    async def _next(self, operation_id: str, result: ExecutionResult) -> None:
        body, _ = result_body(result, self.request_id)
        await self._send({"id": operation_id, "type": "next", "payload": body})

    def _snapshot(self) -> Snapshot:
        return self.endpoint.registry.current().snapshot

    def _context(self) -> GraphContext:
        view = self.endpoint.registry.current()
        return self.endpoint.graphql.context(self.request_id, view, self.principal)

    async def _budget(self, principal: Principal) -> Verdict | None:
        client = self.websocket.client
        return await self.endpoint.access.limiter.take(principal, client.host if client else None)

    async def _refuse(self, operation_id: str, code: str, message: str) -> None:
        await self._error(operation_id, [GraphQLError(message, extensions={"code": code})])

    async def _error(self, operation_id: str, errors: list[GraphQLError]) -> None:
        payload = format_errors(errors, self.request_id)
        await self._send({"id": operation_id, "type": "error", "payload": payload})


def _rate_limited(verdict: Verdict) -> GraphQLError:
    message = spent_message(verdict)
    return GraphQLError(
        message, original_error=RateLimited(message, retryAfter=retry_after(verdict))
    )
