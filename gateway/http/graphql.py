"""GraphQL over HTTP (the GraphQL Foundation's spec): GET and POST ``/graphql``, and GraphiQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

from graphql import ExecutionResult, GraphQLError, OperationDefinitionNode, OperationType
from starlette.types import Receive, Scope, Send

from gateway.access.principal import Principal, principal_of
from gateway.alerts import AlertPoller
from gateway.audit import AuditTrail
from gateway.complaints import Complaints
from gateway.connectors import Connectors
from gateway.errors import format_error
from gateway.execution import Executor, LruCache, PreparedDocument, stamped
from gateway.http.negotiation import GRAPHQL_RESPONSE_JSON, choose_media_type, wants_html
from gateway.http.observed import RequestObserver
from gateway.http.params import GraphQLParams, HttpRequest, RequestProblem, read_params
from gateway.http.request_id import request_id_of
from gateway.http.responses import Answer, dump, error_response, html_response, json_response
from gateway.persisted import MemoryDocuments, PersistedDocuments
from gateway.ratings import Ratings
from gateway.registry import Registry, RegistryView
from gateway.request_scope import RequestScope, current_scope, entered
from gateway.schema.context import GraphContext
from gateway.service_points import ServicePointDirectory

__all__ = ["GraphQLEndpoint", "format_errors", "result_body"]

log = logging.getLogger("gateway.graphql")
_DEADLINE_GRACE_SECONDS = 1.0
_NO_INTROSPECTION = stamped(
    GraphQLError("the schema is not shown to anonymous callers here; send a key or token"),
    "FORBIDDEN",
)
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
        deadline_seconds: float = 30.0,
        alerts: Callable[[], AlertPoller | None] = lambda: None,
        complaints: Complaints | None = None,
        ratings: Ratings | None = None,
        audit: AuditTrail | None = None,
        persisted: PersistedDocuments | None = None,
        persisted_max_age: int = 60,
        anonymous_introspection: bool = True,
        observer: RequestObserver | None = None,
        service_points: ServicePointDirectory | None = None,
    ) -> None:
        self._executor = executor
        self._observer = observer or RequestObserver()
        self._registry = registry
        self._connectors = connectors
        self._alerts = alerts
        self._complaints = complaints
        self._ratings = ratings
        self._audit = audit
        self._service_points = service_points
        self._graphiql = graphiql
        self._max_body_bytes = max_body_bytes
        self._deadline_seconds = deadline_seconds
        self._persisted = persisted or PersistedDocuments(MemoryDocuments(1000), {})
        self._persisted_max_age = persisted_max_age
        self._anonymous_introspection = anonymous_introspection
        self._media_types: LruCache[str | None, str | None] = LruCache(100)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve as an ASGI app (a route), for a request no front door read first."""
        await self.serve(HttpRequest.of(scope, receive), send)

    async def serve(self, request: HttpRequest, send: Send) -> None:
        """Answer one HTTP request through ``send``."""
        state = request.scope.setdefault("state", {})
        request_id = state.get("request_id") or request_id_of(request.headers.get(b"x-request-id"))
        with self._observer.request(request_id) as seen:
            answer = await self.handle(request, request_id)
            seen.answered(answer, state.get("operation"))
        await answer(request.scope, request.receive, send)

    async def handle(self, request: HttpRequest, request_id: str) -> Answer:
        """Answer one request, within its scope (the audit trail's, or a new one)."""
        trace = current_scope()
        if trace is None:
            with entered(RequestScope()) as trace:
                return await self._answer(request, request_id, trace)
        return await self._answer(request, request_id, trace)

    async def _answer(self, request: HttpRequest, request_id: str, trace: RequestScope) -> Answer:
        if request.method not in ("GET", "POST"):
            return error_response(
                405, "BAD_REQUEST", "use GET or POST", headers={"Allow": "GET, POST"}
            )
        accept = request.header(b"accept")
        browsing = request.method == "GET" and "query" not in request.query_params()
        if self._graphiql and browsing and wants_html(accept):
            return html_response(_GRAPHIQL)
        media = self._media_type(accept)
        if media is None:
            return error_response(
                406, "BAD_REQUEST", f"answers are {GRAPHQL_RESPONSE_JSON} or application/json"
            )
        try:
            params = await read_params(request, self._max_body_bytes)
            params = await self.document_params(params, principal_of(request.scope))
        except RequestProblem as problem:
            return error_response(problem.status, problem.code, problem.message, media)
        return await self._run(request, params, media, request_id, trace)

    def _media_type(self, accept: str | None) -> str | None:
        """The media type to answer in (remembered per Accept header: clients send few)."""
        media = self._media_types.get(accept)
        if media is None:
            media = choose_media_type(accept)
            if media is not None:
                self._media_types.put(accept, media)
        return media

    async def _run(
        self,
        request: HttpRequest,
        params: GraphQLParams,
        media: str,
        request_id: str,
        trace: RequestScope,
    ) -> Answer:
        prepared = self._executor.prepare(params.query)
        trace.asked(params.query, params.operation_name, params.variables, prepared.document)
        operation = prepared.operation(params.operation_name)
        request.scope["state"]["operation"] = _operation_name(operation, params)
        refusal = self._refusal(request.method, prepared, operation, media, request_id)
        if refusal is not None:
            return refusal
        principal = principal_of(request.scope)
        if refused_to := self.refused_to(prepared, principal):
            return self._errors_only(tuple(refused_to), media, request_id)
        if not self._registry.service.loaded:
            message = "the registry is not loaded yet; try again shortly"
            return error_response(503, "NOT_READY", message, media, {"Retry-After": "5"})
        view = self._registry.current()
        refused = self._executor.over_cost(prepared, view.snapshot)
        if refused:
            return self._errors_only(refused, media, request_id)
        key = _cache_key(prepared, params, view.snapshot.release.id)
        cached = None if key is None else self._executor.responses.get(key)
        if key is not None:
            self._observer.cache_lookup(hit=cached is not None)
        if cached is not None:
            return json_response(cached, media, headers=self._cache_headers(request, params))
        context = self.context(request_id, view, principal)
        trace.deadline = asyncio.get_running_loop().time() + self._deadline_seconds
        result = await self._execute(prepared, params, context, trace.deadline)
        if result is None:
            message = "the request's deadline passed; nothing was answered in time"
            return error_response(504, "DEADLINE_EXCEEDED", message, media)
        body, status = _body(result, request_id, media)
        if result.errors:
            return json_response(body, media, status)
        if key is not None:
            self._executor.responses.put(key, body)
        return json_response(body, media, status, self._cache_headers(request, params))

    def _cache_headers(self, request: HttpRequest, params: GraphQLParams) -> dict[str, str] | None:
        """Cache-Control for an answer without errors to a GET naming a persisted query.

        Anonymous answers may be kept by shared caches (a CDN); a known caller's only by its own.
        """
        persisted = params.extensions and "persistedQuery" in params.extensions
        if request.method != "GET" or not persisted:
            return None
        shared = "public" if principal_of(request.scope).anonymous else "private"
        return {"Cache-Control": f"{shared}, max-age={self._persisted_max_age}", "Vary": "Accept"}

    async def execute(
        self, prepared: PreparedDocument, params: GraphQLParams, context: GraphContext
    ) -> ExecutionResult | None:
        """Run an operation no HTTP request carries (one sent over the WebSocket) in a scope of
        its own and within the request deadline; None when even the answer overran it."""
        with entered(RequestScope()) as trace:
            trace.asked(params.query, params.operation_name, params.variables, prepared.document)
            trace.deadline = asyncio.get_running_loop().time() + self._deadline_seconds
            return await self._execute(prepared, params, context, trace.deadline)

    async def _execute(
        self,
        prepared: PreparedDocument,
        params: GraphQLParams,
        context: GraphContext,
        deadline: float,
    ) -> ExecutionResult | None:
        """The result, or None when even the answer's assembly overran the deadline.

        Agency calls end at the deadline themselves (their fields null, the rest answered);
        the grace after it is for finishing that answer.
        """
        try:
            async with asyncio.timeout_at(deadline + _DEADLINE_GRACE_SECONDS):
                return await self._executor.execute(
                    prepared, params.operation_name, params.variables, context
                )
        except TimeoutError:
            return None

    def refused_to(self, prepared: PreparedDocument, principal: Principal) -> list[GraphQLError]:
        """The errors refusing ``principal`` a document it may not run (introspection)."""
        hidden = prepared.introspects and principal.anonymous and not self._anonymous_introspection
        return [_NO_INTROSPECTION] if hidden else []

    async def document_params(self, params: GraphQLParams, principal: Principal) -> GraphQLParams:
        """The parameters with the document to run, a persisted one looked up by its hash;
        raises :class:`RequestProblem` (an unknown hash, or a document not trusted).
        """
        if not params.extensions and not self._persisted.restricting:
            return params
        return await self._persisted.resolve(params, principal)

    def context(self, request_id: str, view: RegistryView, principal: Principal) -> GraphContext:
        """What the resolvers of one operation, asked by ``principal``, reach."""
        return GraphContext(
            request_id=request_id,
            registry=view,
            connectors=self._connectors(),
            alerts=self._alerts(),
            complaints=self._complaints,
            principal=principal,
            service_points=self._service_points,
            ratings=self._ratings,
            audit=self._audit,
        )

    def _refusal(
        self,
        method: str,
        prepared: PreparedDocument,
        operation: OperationDefinitionNode | None,
        media: str,
        request_id: str,
    ) -> Answer | None:
        """The answer to a document that must not run (``operation``: the one the request
        names, None when there is no such one), or None when it may.

        The method is checked before validation: a GET naming a mutation is refused with 405
        even when the mutation would not validate, as the spec asks.
        """
        if method == "GET" and operation and operation.operation is not OperationType.QUERY:
            message = "mutations and subscriptions need POST"
            return error_response(405, "BAD_REQUEST", message, media, {"Allow": "POST"})
        if prepared.errors:
            return self._errors_only(prepared.errors, media, request_id)
        status = 400 if media == GRAPHQL_RESPONSE_JSON else 200
        if operation is None:
            message = "name the operation to run in `operationName`"
            return error_response(status, "BAD_REQUEST", message, media)
        if operation.operation is OperationType.SUBSCRIPTION:
            message = "subscriptions are served over WebSocket (graphql-transport-ws) on /graphql"
            return error_response(status, "BAD_REQUEST", message, media)
        return None

    def _errors_only(self, errors: tuple[GraphQLError, ...], media: str, request_id: str) -> Answer:
        shown = [format_error(e, request_id)[0] for e in errors]
        status = 400 if media == GRAPHQL_RESPONSE_JSON else 200
        return json_response(dump({"errors": shown}), media, status)


def _operation_name(operation: OperationDefinitionNode | None, params: GraphQLParams) -> str | None:
    if operation is None or operation.name is None:
        return params.operation_name
    return operation.name.value


def _cache_key(prepared: PreparedDocument, params: GraphQLParams, release: int) -> Hashable | None:
    if not prepared.registry_only:
        return None
    variables = dump(params.variables) if params.variables else b""
    return (params.query, params.operation_name, variables, release)


def _body(result: ExecutionResult, request_id: str, media: str) -> tuple[bytes, int]:
    body, request_error = result_body(result, request_id)
    status = 400 if request_error and media == GRAPHQL_RESPONSE_JSON else 200
    return dump(body), status


def result_body(result: ExecutionResult, request_id: str) -> tuple[dict[str, Any], bool]:
    """The response object of a result, and whether it failed as a whole (a request error)."""
    body: dict[str, Any] = {}
    request_error = result.data is None and all(e.path is None for e in result.errors or ())
    if result.errors:
        body["errors"] = format_errors(result.errors, request_id)
    if not request_error:
        body["data"] = result.data
    return body, request_error


def format_errors(errors: Iterable[GraphQLError], request_id: str) -> list[dict[str, Any]]:
    """Each error as clients see it; unexpected ones are logged with the request id."""
    formatted = []
    for error in errors:
        shown, unexpected = format_error(error, request_id)
        if unexpected:
            log.error("request %s failed", request_id, exc_info=error.original_error)
        formatted.append(shown)
    return formatted
