"""Each GraphQL request measured once, whole: a span around it, then its counts.

Per operation, never per field: the view opens :meth:`RequestObserver.request` around its
handling and says what it answered; error codes are read back from the answer's body only
when it has errors.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from types import TracebackType

import orjson
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from gateway.http.responses import Answer
from gateway.telemetry.metrics import GatewayMetrics, operation_label

__all__ = ["RequestObserver", "SeenRequest"]


class SeenRequest:
    """One request being measured; a context manager, and what the view tells it it answered.

    A plain class rather than a generator-based context manager: it is made for every request.
    """

    __slots__ = (
        "_observer",
        "_request_id",
        "_span",
        "_spanning",
        "_started",
        "answer",
        "operation",
    )

    def __init__(self, observer: RequestObserver, request_id: str) -> None:
        self._observer, self._request_id = observer, request_id
        self._spanning: AbstractContextManager[Span] | None = None
        self._span: Span | None = None
        self._started = 0.0
        self.answer: Answer | None = None
        self.operation: str | None = None

    def answered(self, answer: Answer, operation: str | None) -> None:
        """The answer sent, and the name of the operation it ran (None: none ran)."""
        self.answer, self.operation = answer, operation

    @property
    def status(self) -> int:
        """The HTTP status sent (500 when the view raised before answering)."""
        return 500 if self.answer is None else self.answer.status

    def __enter__(self) -> SeenRequest:
        self._spanning = self._observer.span()
        if self._spanning is not None:
            self._span = self._spanning.__enter__()
        self._started = time.perf_counter()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        seconds = time.perf_counter() - self._started
        operation = operation_label(self.operation)
        if self._spanning is not None and self._span is not None:
            _annotate(self._span, self._request_id, operation, self.status)
            self._spanning.__exit__(kind, error, trace)
        self._observer.count(self, operation, seconds)


class RequestObserver:
    """Spans (when a tracer is configured) and Prometheus counts for GraphQL requests.

    Without a tracer no span is made at all, not even a no-op one: it costs a few
    microseconds a request, which the registry's throughput notices.
    """

    def __init__(self, metrics: GatewayMetrics | None = None, tracer: Tracer | None = None) -> None:
        self._metrics = metrics
        self._tracer = tracer

    def request(self, request_id: str) -> SeenRequest:
        """Measure the request handled inside the ``with`` block."""
        return SeenRequest(self, request_id)

    def span(self) -> AbstractContextManager[Span] | None:
        """A server span for one request, when there is a tracer."""
        if self._tracer is None:
            return None
        return self._tracer.start_as_current_span("graphql", kind=SpanKind.SERVER)

    def cache_lookup(self, hit: bool) -> None:
        """Count one lookup in the response cache."""
        if self._metrics is not None:
            self._metrics.cache_lookup("response", hit)

    def count(self, seen: SeenRequest, operation: str, seconds: float) -> None:
        """Count one answered request, and the error codes in its answer."""
        if self._metrics is None:
            return
        self._metrics.request(operation, seen.status, seconds)
        if seen.answer is not None:
            self._metrics.error_codes(_error_codes(seen.answer.body))


def _annotate(span: Span, request_id: str, operation: str, status: int) -> None:
    span.set_attribute("moi.request_id", request_id)
    span.set_attribute("graphql.operation.name", operation)
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))


def _error_codes(body: bytes) -> list[str]:
    if b'"errors"' not in body:
        return []
    errors = orjson.loads(body).get("errors") or []
    return [str((e.get("extensions") or {}).get("code", "INTERNAL")) for e in errors]
