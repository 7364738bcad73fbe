"""The circuit breaker, alone and inside the runtime: open after repeated timeouts, fail fast
without calling the agency, one probe after the cool-down."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from gateway.connectors import (
    CircuitBreaker,
    CircuitState,
    ConnectorRuntime,
    UpstreamRequest,
    UpstreamResponse,
)
from gateway.errors import CircuitOpen, UpstreamTimeout
from tests.gateway.connectors.fakes import FakeClock, FakeUpstream, Handler


def read_json(response: UpstreamResponse) -> Any:
    return response.json()


class Switch:
    """An agency that is slow (times out) until switched to healthy."""

    def __init__(self) -> None:
        self.healthy = False

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        if not self.healthy:
            await asyncio.sleep(0.2)
        return web.json_response({"ok": True})


async def test_breaker_opens_fails_fast_and_closes_after_a_good_probe(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    clock: FakeClock,
) -> None:
    agency = Switch()
    fake = await upstream(agency)
    runtime = runtime_factory(
        fake.url, timeout_seconds=0.05, retries=0, breaker_failures=3, breaker_cooldown_seconds=30
    )
    request = UpstreamRequest(path="/stat")
    for _ in range(3):
        with pytest.raises(UpstreamTimeout):
            await runtime.fetch(request, parse=read_json)
    assert runtime.status().circuit == "open"

    with pytest.raises(CircuitOpen) as caught:
        await runtime.fetch(request, parse=read_json)
    assert fake.calls == 3  # failed fast: no request reached the agency
    assert caught.value.as_extensions() == {
        "code": "CIRCUIT_OPEN",
        "connector": "agency",
        "retryable": True,
        "retryAfter": 30,
    }

    clock.advance(30)
    agency.healthy = True
    fetched = await runtime.fetch(request, parse=read_json)
    assert fetched.value == {"ok": True}
    assert fake.calls == 4
    assert runtime.status().circuit == "closed"


async def test_a_failed_probe_reopens_the_circuit(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    clock: FakeClock,
) -> None:
    fake = await upstream(Switch())
    runtime = runtime_factory(
        fake.url, timeout_seconds=0.05, retries=0, breaker_failures=2, breaker_cooldown_seconds=10
    )
    request = UpstreamRequest(path="/stat")
    for _ in range(2):
        with pytest.raises(UpstreamTimeout):
            await runtime.fetch(request, parse=read_json)
    clock.advance(10)
    with pytest.raises(UpstreamTimeout):  # the probe
        await runtime.fetch(request, parse=read_json)
    with pytest.raises(CircuitOpen):
        await runtime.fetch(request, parse=read_json)
    assert fake.calls == 3
    assert runtime.metrics.calls["circuit_open"] == 1


def state_of(breaker: CircuitBreaker) -> CircuitState:
    return breaker.state  # read afresh each time (a property, not a narrowed value)


def test_half_open_lets_exactly_one_probe_through() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failures=1, cooldown_seconds=5, clock=clock)
    breaker.failed()
    assert state_of(breaker) is CircuitState.OPEN
    assert not breaker.allow()
    clock.advance(5)
    assert state_of(breaker) is CircuitState.HALF_OPEN
    assert [breaker.allow() for _ in range(3)] == [True, False, False]
    breaker.released()  # the probe was cancelled: another may go
    assert breaker.allow()
    breaker.succeeded()
    assert state_of(breaker) is CircuitState.CLOSED
    assert all(breaker.allow() for _ in range(3))


def test_only_consecutive_failures_open_it() -> None:
    breaker = CircuitBreaker(failures=3, cooldown_seconds=5, clock=FakeClock())
    for _ in range(5):
        breaker.failed()
        breaker.failed()
        breaker.succeeded()
    assert state_of(breaker) is CircuitState.CLOSED
    breaker.failed()
    breaker.failed()
    breaker.failed()
    assert state_of(breaker) is CircuitState.OPEN
    assert breaker.retry_after_seconds == 5
