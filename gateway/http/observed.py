"""Each GraphQL request measured once, whole: a span around it, then its counts.

Per operation, never per field: the view opens :meth:`RequestObserver.request` around its
handling and says what it answered; error codes are read back from the answer's body only
when it has errors.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

import orjson
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from starlette.responses import Response

from gateway.telemetry.metrics import GatewayMetrics, operation_label

__all__ = ["RequestObserver", "SeenRequest"]


@dataclass
class SeenRequest:
    """What the view tells the observer about one request it answered."""

    operation: str | None = None
    response: Response | None = None

    def answered(self, response: Response, operation: str | None) -> None:
        """The response sent, and the name of the operation it ran (None: none ran)."""
        self.response, self.operation = response, operation

    @property
    def status(self) -> int:
        """The HTTP status sent (500 when the view raised before answering)."""
        return 500 if self.response is None else self.response.status_code


class RequestObserver:
    """Spans (when a tracer is configured) and Prometheus counts for GraphQL requests.

    Without a tracer no span is made at all, not even a no-op one: it costs a few
    microseconds a request, which the registry's throughput notices.
    """

    def __init__(self, metrics: GatewayMetrics | None = None, tracer: Tracer | None = None) -> None:
        self._metrics = metrics
        self._tracer = tracer

    @contextlib.contextmanager
    def request(self, request_id: str) -> Iterator[SeenRequest]:
        """Measure the request handled inside the block."""
        seen, started = SeenRequest(), time.perf_counter()
        with self._span() as span:
            try:
                yield seen
            finally:
                operation = operation_label(seen.operation)
                if span is not None:
                    _annotate(span, request_id, operation, seen.status)
                self._count(seen, operation, time.perf_counter() - started)

    def _span(self) -> contextlib.AbstractContextManager[Span | None]:
        if self._tracer is None:
            return contextlib.nullcontext()
        return self._tracer.start_as_current_span("graphql", kind=SpanKind.SERVER)

    def cache_lookup(self, hit: bool) -> None:
        """Count one lookup in the response cache."""
        if self._metrics is not None:
            self._metrics.cache_lookup("response", hit)

    def _count(self, seen: SeenRequest, operation: str, seconds: float) -> None:
        if self._metrics is None:
            return
        self._metrics.request(operation, seen.status, seconds)
        if seen.response is not None:
            self._metrics.error_codes(_error_codes(bytes(seen.response.body)))


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
