"""What each connector has been doing: outcomes, latencies, error rate, last error.

Upstream attempts are counted once each (``ok`` or an error outcome, with their latency);
``cache_hit``, ``stale`` and ``circuit_open`` count answers given without calling the agency.
The error rate is the share of failed attempts among the last ``window`` attempts.
"""

from __future__ import annotations

import math
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from gateway.errors import UpstreamError

__all__ = [
    "OUTCOMES",
    "CallObserver",
    "ConnectorMetrics",
    "ConnectorStatus",
    "LastError",
    "outcome_of",
]

OUTCOMES: tuple[str, ...] = (
    "ok",
    "timeout",
    "unavailable",
    "bad_response",
    "blocked",
    "auth_failed",
    "rate_limited",
    "circuit_open",
    "cache_hit",
    "stale",
)
# outcomes that did not call the agency, so say nothing about its health
_NOT_ATTEMPTS = frozenset({"circuit_open", "cache_hit", "stale"})


def outcome_of(error: UpstreamError) -> str:
    """The outcome name of an error: ``UPSTREAM_TIMEOUT`` -> ``timeout``."""
    return error.code.removeprefix("UPSTREAM_").lower()


class CallObserver(Protocol):
    """Where a connector's outcomes are also sent as they happen (the Prometheus metrics)."""

    def outcome(self, outcome: str, latency_seconds: float | None) -> None:
        """One outcome, with the upstream attempt's latency when it was one."""

    def cache_miss(self) -> None:
        """A cache lookup that found nothing fresh."""

    def circuit(self, state: str) -> None:
        """The breaker's state after a call: closed, open or half_open."""


@dataclass(frozen=True, slots=True)
class LastError:
    """The most recent failure: its code, message and time (seconds since the epoch)."""

    code: str
    message: str
    at: float


@dataclass(frozen=True)
class ConnectorStatus:
    """A snapshot of one connector's health, as shown to operators."""

    name: str
    base_url: str | None
    circuit: str
    error_rate: float
    last_error: LastError | None
    p50_ms: float | None
    p95_ms: float | None
    calls: Mapping[str, int]


class ConnectorMetrics:
    """Counters, a ring of recent latencies and a window of recent outcomes for one connector."""

    def __init__(
        self,
        *,
        latency_samples: int = 1000,
        window: int = 100,
        clock: Callable[[], float] = time.time,
        observer: CallObserver | None = None,
    ) -> None:
        self._counts: Counter[str] = Counter()
        self._latencies: deque[float] = deque(maxlen=latency_samples)
        self._recent: deque[bool] = deque(maxlen=window)
        self._clock = clock
        self.observer = observer
        self.last_error: LastError | None = None

    def record(
        self,
        outcome: str,
        *,
        latency_seconds: float | None = None,
        error: UpstreamError | None = None,
    ) -> None:
        """Count one outcome; attempts also enter the latency ring and the error-rate window."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}; one of {', '.join(OUTCOMES)}")
        self._counts[outcome] += 1
        if latency_seconds is not None:
            self._latencies.append(latency_seconds)
        if outcome not in _NOT_ATTEMPTS:
            self._recent.append(outcome != "ok")
        if error is not None:
            self.last_error = LastError(error.code, error.message, self._clock())
        if self.observer is not None:
            self.observer.outcome(outcome, latency_seconds)

    def record_cache_miss(self) -> None:
        """A lookup found nothing fresh in the cache (the call goes on to the agency)."""
        if self.observer is not None:
            self.observer.cache_miss()

    def record_circuit(self, state: str) -> None:
        """The breaker's state after a call."""
        if self.observer is not None:
            self.observer.circuit(state)

    def record_error(self, error: UpstreamError, *, latency_seconds: float | None = None) -> None:
        """Count a failed attempt (or a circuit-open refusal) by its error code."""
        self.record(outcome_of(error), latency_seconds=latency_seconds, error=error)

    @property
    def calls(self) -> dict[str, int]:
        """Counts by outcome, every outcome listed."""
        return {outcome: self._counts[outcome] for outcome in OUTCOMES}

    @property
    def error_rate(self) -> float:
        """Failed attempts among the recent window (0.0 when there were none)."""
        return sum(self._recent) / len(self._recent) if self._recent else 0.0

    def percentile_ms(self, percent: float) -> float | None:
        """The nearest-rank percentile of recent latencies in milliseconds, None when empty."""
        if not self._latencies:
            return None
        ordered = sorted(self._latencies)
        rank = max(1, math.ceil(percent / 100 * len(ordered)))
        return ordered[rank - 1] * 1000

    def status(self, name: str, base_url: str | None, circuit: str) -> ConnectorStatus:
        """A frozen snapshot of these metrics for one connector."""
        return ConnectorStatus(
            name=name,
            base_url=base_url,
            circuit=circuit,
            error_rate=self.error_rate,
            last_error=self.last_error,
            p50_ms=self.percentile_ms(50),
            p95_ms=self.percentile_ms(95),
            calls=self.calls,
        )
