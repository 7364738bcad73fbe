"""GraphQL over HTTP (the GraphQL Foundation's spec): GET and POST ``/graphql``, and GraphiQL."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from graphql import ExecutionResult, OperationType
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from gateway.alerts import AlertPoller
from gateway.complaints import Complaints
from gateway.connectors import Connectors
from gateway.errors import format_error
from gateway.execution import Executor, PreparedDocument
from gateway.http.negotiation import GRAPHQL_RESPONSE_JSON, choose_media_type, wants_html
from gateway.http.params import GraphQLParams, RequestProblem, read_params
from gateway.http.request_id import request_id_of
from gateway.http.responses import dump, error_response, json_response
from gateway.registry import Registry
from gateway.schema.context import GraphContext

__all__ = ["GraphQLEndpoint"]

log = logging.getLogger("gateway.graphql")
_GRAPHIQL = (Path(__file__).parent / "static" / "graphiql.html").read_text(encoding="utf-8")


class GraphQLEndpoint:
    """The ASGI endpoint behind ``/graphql``."""

    def __init__(
        self,
        executor: Executor,
        registry: Registry,
        connectors: Callable[[], Connectors | None],
        *,
        graphiql: bool,
        max_body_bytes: int,
        alerts: Callable[[], AlertPoller | None] = lambda: None,
        complaints: Complaints | None = None,
    ) -> None:
        self._executor = executor
        self._registry = registry
        self._connectors = connectors
        self._alerts = alerts
        self._complaints = complaints
        self._graphiql = graphiql
        self._max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        request_id = getattr(request.state, "request_id", None) or request_id_of(scope["headers"])
        response = await self.handle(request, request_id)
        await response(scope, receive, send)

    async def handle(self, request: Request, request_id: str) -> Response:
        """Answer one request."""
        if request.method not in ("GET", "POST"):
            return error_response(
                405, "BAD_REQUEST", "use GET or POST", headers={"Allow": "GET, POST"}
            )
        accept = request.headers.get("accept")
        browsing = request.method == "GET" and "query" not in request.query_params
        if self._graphiql and browsing and wants_html(accept):
            return HTMLResponse(_GRAPHIQL)
        media = choose_media_type(accept)
        if media is None:
            return error_response(
                406, "BAD_REQUEST", f"answers are {GRAPHQL_RESPONSE_JSON} or application/json"
            )
        try:
            params = await read_params(request, self._max_body_bytes)
        except RequestProblem as problem:
            return error_response(problem.status, "BAD_REQUEST", problem.message, media)
        return await self._run(request, params, media, request_id)

    async def _run(
        self, request: Request, params: GraphQLParams, media: str, request_id: str
    ) -> Response:
        prepared = self._executor.prepare(params.query)
        refusal = self._refusal(request.method, prepared, params, media, request_id)
        if refusal is not None:
            return refusal
        if not self._registry.service.loaded:
            message = "the registry is not loaded yet; try again shortly"
            return error_response(503, "NOT_READY", message, media, {"Retry-After": "5"})
        view = self._registry.current()
        key = _cache_key(prepared, params, view.snapshot.release.id)
        if key is not None and (cached := self._executor.responses.get(key)) is not None:
            return json_response(cached, media)
        context = GraphContext(
            request_id=request_id,
            registry=view,
            connectors=self._connectors(),
            alerts=self._alerts(),
            complaints=self._complaints,
        )
        result = await self._executor.execute(
            prepared, params.operation_name, params.variables, context
        )
        body, status = _body(result, request_id, media)
        if key is not None and not result.errors:
            self._executor.responses.put(key, body)
        return json_response(body, media, status)

    def _refusal(
        self,
        method: str,
        prepared: PreparedDocument,
        params: GraphQLParams,
        media: str,
        request_id: str,
    ) -> Response | None:
        """The answer to a document that must not run, or None when it may.

        The method is checked before validation: a GET naming a mutation is refused with 405
        even when the mutation would not validate, as the spec asks.
        """
        operation = prepared.operation(params.operation_name)
        if method == "GET" and operation and operation.operation is not OperationType.QUERY:
            message = "mutations and subscriptions need POST"
            return error_response(405, "BAD_REQUEST", message, media, {"Allow": "POST"})
        if prepared.errors:
            return self._errors_only(prepared, media, request_id)
        if operation is None:
            message = "name the operation to run in `operationName`"
            status = 400 if media == GRAPHQL_RESPONSE_JSON else 200
            return error_response(status, "BAD_REQUEST", message, media)
        return None

    def _errors_only(self, prepared: PreparedDocument, media: str, request_id: str) -> Response:
        errors = [format_error(e, request_id)[0] for e in prepared.errors]
        status = 400 if media == GRAPHQL_RESPONSE_JSON else 200
        return json_response(dump({"errors": errors}), media, status)


def _cache_key(prepared: PreparedDocument, params: GraphQLParams, release: int) -> Hashable | None:
    if not prepared.registry_only:
        return None
    variables = dump(params.variables) if params.variables else b""
    return (params.query, params.operation_name, variables, release)


def _body(result: ExecutionResult, request_id: str, media: str) -> tuple[bytes, int]:
    body: dict[str, Any] = {}
    request_error = result.data is None and all(e.path is None for e in result.errors or ())
    if result.errors:
        formatted = []
        for error in result.errors:
            shown, unexpected = format_error(error, request_id)
            if unexpected:
                log.error("request %s failed", request_id, exc_info=error.original_error)
            formatted.append(shown)
        body["errors"] = formatted
    if not request_error:
        body["data"] = result.data
    status = 400 if request_error and media == GRAPHQL_RESPONSE_JSON else 200
    return dump(body), status
