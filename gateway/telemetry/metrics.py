"""What ``GET /metrics`` shows, in Prometheus' text format: :class:`GatewayMetrics`.

Counted per operation and per connector call, never per field::

    moi_gateway_requests_total{operation, status}        GraphQL requests by HTTP status
    moi_gateway_request_seconds{operation}               their latency (histogram)
    moi_gateway_errors_total{code}                       errors[].extensions.code in answers
    moi_gateway_connector_calls_total{connector, outcome}
    moi_gateway_connector_seconds{connector, outcome}    upstream attempts' latency (histogram)
    moi_gateway_cache_lookups_total{cache, result}       hit or miss: the response cache
                                                         ("response") and each connector's
    moi_gateway_connector_circuit_state{connector}       0 closed, 1 half open, 2 open
    moi_gateway_outbox_messages{kind, state}             undelivered: pending or failed

With several worker processes (``serve --workers N``) the counters and histograms live in
Prometheus' multiprocess directory and every worker's scrape adds them all up; the circuit
state is each worker's own breaker, labelled with its ``pid``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

from gateway.outbox.queue import OutboxDepth

__all__ = [
    "CIRCUIT_STATES",
    "OTHER_OPERATIONS",
    "ConnectorObserver",
    "GatewayMetrics",
    "operation_label",
]

CIRCUIT_STATES = {"closed": 0, "half_open": 1, "open": 2}
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_MAX_OPERATION_CHARS = 64
OTHER_OPERATIONS = "other"
_RequestSeries = tuple[Counter, Histogram]  # a request counter and its latency histogram


def operation_label(name: str | None) -> str:
    """The ``operation`` label of a request: its operation's name, shortened, or ``-``."""
    return name[:_MAX_OPERATION_CHARS] if name else "-"


class GatewayMetrics:
    """The process's Prometheus metrics; ``multiprocess_dir`` when workers share one port.

    Operation names are the callers' to choose, so at most ``max_operations`` distinct ones
    get series of their own (per process); the rest are counted as ``other``.
    """

    def __init__(self, multiprocess_dir: str | None = None, *, max_operations: int = 500) -> None:
        self.multiprocess_dir = multiprocess_dir
        self._operations: set[str] = set()
        # labelled series already made: a label lookup is several microseconds a request
        self._request_series: dict[tuple[str, int], _RequestSeries] = {}
        self._lookup_series: dict[tuple[str, bool], Counter] = {}
        self._max_operations = max_operations
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "moi_gateway_requests",
            "GraphQL requests by HTTP status.",
            ["operation", "status"],
            registry=r,
        )
        self.request_seconds = Histogram(
            "moi_gateway_request_seconds", "GraphQL request latency, seconds.", ["operation"],
            buckets=_LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.errors = Counter(
            "moi_gateway_errors", "Errors in answers by code.", ["code"], registry=r
        )
        self.connector_calls = Counter(
            "moi_gateway_connector_calls",
            "Connector calls by outcome.",
            ["connector", "outcome"],
            registry=r,
        )
        self.connector_seconds = Histogram(
            "moi_gateway_connector_seconds", "Upstream attempts' latency, seconds.",
            ["connector", "outcome"], buckets=_LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.cache_lookups = Counter(
            "moi_gateway_cache_lookups",
            "Cache lookups: hit or miss.",
            ["cache", "result"],
            registry=r,
        )
        self.circuit_state = Gauge(
            "moi_gateway_connector_circuit_state", "Circuit breaker: 0 closed, 1 half open, 2 open.",
            ["connector"], registry=r, multiprocess_mode="liveall",
        )  # fmt: skip

    def request(self, operation: str, status: int, seconds: float) -> None:
        """Count one answered GraphQL request."""
        series = self._request_series.get((operation, status))
        if series is None:
            series = self._new_request_series(operation, status)
        counted, timed = series
        counted.inc()
        timed.observe(seconds)

    def _new_request_series(self, operation: str, status: int) -> _RequestSeries:
        """The series of an operation and status; remembered unless counted as ``other``."""
        if operation not in self._operations and len(self._operations) >= self._max_operations:
            other = OTHER_OPERATIONS
            return self.requests.labels(other, str(status)), self.request_seconds.labels(other)
        self._operations.add(operation)
        series = (
            self.requests.labels(operation, str(status)),
            self.request_seconds.labels(operation),
        )
        self._request_series[(operation, status)] = series
        return series

    def error_codes(self, codes: Iterable[str]) -> None:
        """Count the error codes of one answer."""
        for code in codes:
            self.errors.labels(code).inc()

    def cache_lookup(self, cache: str, hit: bool) -> None:
        """Count one lookup in ``cache`` (``response`` or a connector's name)."""
        counted = self._lookup_series.get((cache, hit))
        if counted is None:
            counted = self.cache_lookups.labels(cache, "hit" if hit else "miss")
            self._lookup_series[(cache, hit)] = counted
        counted.inc()

    def connector(self, name: str) -> ConnectorObserver:
        """What one connector's runtime reports its calls to."""
        return ConnectorObserver(self, name)

    def circuit(self, connector: str, state: str) -> None:
        """Where ``connector``'s breaker stands in this process."""
        self.circuit_state.labels(connector).set(CIRCUIT_STATES[state])

    def exposition(self, outbox: Sequence[OutboxDepth]) -> bytes:
        """The text a scrape receives: every worker's counters, and ``outbox`` as read now."""
        counted = self.registry
        if self.multiprocess_dir is not None:
            counted = CollectorRegistry()
            MultiProcessCollector(counted, path=self.multiprocess_dir)  # type: ignore[no-untyped-call]
        now = CollectorRegistry()
        now.register(_Fixed([_outbox_family(outbox)]))
        return generate_latest(counted) + generate_latest(now)

    def close(self) -> None:
        """Drop this worker's live gauges (its circuit states) from later scrapes."""
        if self.multiprocess_dir is not None:
            mark_process_dead(os.getpid(), self.multiprocess_dir)  # type: ignore[no-untyped-call]


class ConnectorObserver:
    """Turns one connector's outcomes into Prometheus samples."""

    def __init__(self, metrics: GatewayMetrics, name: str) -> None:
        self._metrics = metrics
        self._name = name

    def outcome(self, outcome: str, latency_seconds: float | None) -> None:
        """Count one outcome; an upstream attempt's latency goes into the histogram."""
        m = self._metrics
        m.connector_calls.labels(self._name, outcome).inc()
        if latency_seconds is not None:
            m.connector_seconds.labels(self._name, outcome).observe(latency_seconds)
        if outcome == "cache_hit":
            m.cache_lookup(self._name, hit=True)

    def cache_miss(self) -> None:
        """Count a lookup that found nothing fresh in the connector's cache."""
        self._metrics.cache_lookup(self._name, hit=False)

    def circuit(self, state: str) -> None:
        """The breaker's state after a call."""
        self._metrics.circuit(self._name, state)


def _outbox_family(outbox: Sequence[OutboxDepth]) -> Metric:
    family = GaugeMetricFamily(
        "moi_gateway_outbox_messages", "Undelivered outbox messages.", labels=["kind", "state"]
    )
    for depth in outbox:
        family.add_metric([depth.kind, "pending"], depth.pending)
        family.add_metric([depth.kind, "failed"], depth.failed)
    return family


class _Fixed(Collector):
    """Families read just before the scrape."""

    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterable[Metric]:
        return self._families
