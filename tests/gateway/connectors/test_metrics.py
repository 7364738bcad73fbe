"""Per-connector metrics: outcomes, latency percentiles, recent error rate, last error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from gateway.connectors import (
    ConnectorMetrics,
    ConnectorRuntime,
    LastError,
    UpstreamRequest,
    UpstreamResponse,
)
from gateway.errors import UpstreamBlocked, UpstreamTimeout
from tests.gateway.connectors.fakes import FakeClock, FakeUpstream, Handler


def test_percentiles_over_recent_latencies() -> None:
    metrics = ConnectorMetrics(latency_samples=100)
    for ms in range(1000, 0, -1):  # only the last 100 samples (100 ms .. 1 ms) are kept
        metrics.record("ok", latency_seconds=ms / 1000)
    assert metrics.percentile_ms(50) == pytest.approx(50)
    assert metrics.percentile_ms(95) == pytest.approx(95)
    assert ConnectorMetrics().percentile_ms(50) is None


def test_error_rate_over_the_last_window_of_attempts() -> None:
    metrics = ConnectorMetrics(window=10)
    timeout = UpstreamTimeout("slow", connector="agency")
    for _ in range(10):
        metrics.record_error(timeout)
    for _ in range(7):
        metrics.record("ok")
    metrics.record("cache_hit")  # answered without calling: not an attempt
    assert metrics.error_rate == pytest.approx(0.3)
    assert metrics.calls["timeout"] == 10
    assert metrics.calls["ok"] == 7
    assert metrics.calls["cache_hit"] == 1


def test_last_error_has_code_message_and_time() -> None:
    clock = FakeClock(1_750_000_000)
    metrics = ConnectorMetrics(clock=clock)
    metrics.record_error(UpstreamBlocked("dopa was blocked", connector="dopa"))
    assert metrics.last_error == LastError("UPSTREAM_BLOCKED", "dopa was blocked", 1_750_000_000)


def test_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown outcome 'fine'"):
        ConnectorMetrics().record("fine")


async def test_runtime_status_counts_what_happened(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    async def half_broken(request: web.Request) -> web.StreamResponse:
        if request.query.get("fail"):
            return web.Response(status=500)
        return web.json_response({"ok": True})

    def read(response: UpstreamResponse) -> Any:
        return response.json()

    fake = await upstream(half_broken)
    runtime = runtime_factory(fake.url, retries=1)
    await runtime.fetch(UpstreamRequest(), parse=read, cache_key="a")
    await runtime.fetch(UpstreamRequest(), parse=read, cache_key="a")
    with pytest.raises(Exception, match="HTTP 500"):
        await runtime.fetch(UpstreamRequest(params={"fail": "1"}), parse=read)
    status = runtime.status()
    assert status.name == "agency"
    assert status.base_url == fake.url
    assert status.circuit == "closed"
    assert {k: v for k, v in status.calls.items() if v} == {
        "ok": 1,
        "unavailable": 2,
        "cache_hit": 1,
    }
    assert status.error_rate == pytest.approx(2 / 3)
    assert status.last_error is not None
    assert status.last_error.code == "UPSTREAM_UNAVAILABLE"
    assert status.p50_ms is not None
    assert status.p95_ms is not None
    assert 0 < status.p50_ms <= status.p95_ms < 2000
