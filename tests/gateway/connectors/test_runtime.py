"""The runtime's pipeline: cache and stale-if-error, bulkhead, Retry-After and backoff,
request ids, and a connector that is not configured."""

from __future__ import annotations

import asyncio
import email.utils
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web

from gateway.connectors import ConnectorRuntime, Freshness, UpstreamRequest, UpstreamResponse
from gateway.errors import UpstreamTimeout, UpstreamUnavailable
from gateway.request_scope import RequestScope, entered
from tests.gateway.connectors.fakes import FakeClock, FakeSleep, FakeUpstream, Handler


def read_json(response: UpstreamResponse) -> Any:
    return response.json()


class Population:
    """An agency that counts up, and can be switched to answering 500."""

    def __init__(self) -> None:
        self.served = 0
        self.failing = False

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        if self.failing:
            return web.Response(status=500, text="down")
        self.served += 1
        return web.json_response({"total": self.served})


async def test_fresh_then_cached_within_ttl(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    clock: FakeClock,
) -> None:
    fake = await upstream(Population())
    runtime = runtime_factory(fake.url, cache_ttl_seconds=60)
    first = await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
    clock.advance(59)
    second = await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
    clock.advance(1)
    third = await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
    assert (first.freshness, second.freshness, third.freshness) == (
        Freshness.FRESH,
        Freshness.CACHED,
        Freshness.FRESH,
    )
    assert [first.value, second.value, third.value] == [{"total": 1}, {"total": 1}, {"total": 2}]
    assert second.as_of == first.as_of == datetime.fromtimestamp(1_700_000_000, UTC)
    assert fake.calls == 2
    assert runtime.metrics.calls["cache_hit"] == 1


async def test_stale_value_stands_in_for_a_failure_until_stale_ttl(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    clock: FakeClock,
) -> None:
    agency = Population()
    fake = await upstream(agency)
    runtime = runtime_factory(fake.url, cache_ttl_seconds=60, stale_ttl_seconds=600, retries=0)
    first = await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
    agency.failing = True
    clock.advance(300)
    stale = await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
    assert stale.freshness is Freshness.STALE
    assert stale.stale
    assert stale.value == {"total": 1}
    assert stale.as_of == first.as_of
    assert isinstance(stale.error, UpstreamUnavailable)
    clock.advance(360)  # 660 s old: past TTL + stale TTL
    with pytest.raises(UpstreamUnavailable):
        await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
    assert fake.calls == 3
    assert runtime.metrics.calls["stale"] == 1


async def test_open_circuit_serves_the_stale_value_without_calling(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    clock: FakeClock,
) -> None:
    agency = Population()
    fake = await upstream(agency)
    runtime = runtime_factory(fake.url, cache_ttl_seconds=60, retries=0, breaker_failures=1)
    await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
    agency.failing = True
    clock.advance(61)
    await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")  # opens it
    held = await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
    assert held.stale
    assert held.error is not None
    assert held.error.code == "CIRCUIT_OPEN"
    assert fake.calls == 2


async def test_bulkhead_caps_requests_in_flight(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.03)
        return web.json_response({})

    fake = await upstream(slow)
    runtime = runtime_factory(fake.url, concurrency=2)
    await asyncio.gather(*(runtime.fetch(UpstreamRequest(), parse=read_json) for _ in range(8)))
    assert fake.calls == 8
    assert fake.max_in_flight == 2


async def test_retry_after_as_an_http_date(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    clock: FakeClock,
    sleep: FakeSleep,
) -> None:
    when = email.utils.formatdate(clock.now + 7, usegmt=True)
    answers = [web.Response(status=503, headers={"Retry-After": when})]

    async def busy_once(request: web.Request) -> web.StreamResponse:
        return answers.pop() if answers else web.json_response({"ok": 1})

    fake = await upstream(busy_once)
    runtime = runtime_factory(fake.url)
    fetched = await runtime.fetch(UpstreamRequest(), parse=read_json)
    assert fetched.value == {"ok": 1}
    assert fake.calls == 2
    assert sleep.delays == [7.0]


async def test_backoff_is_full_jitter_under_a_doubling_ceiling(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    sleep: FakeSleep,
) -> None:
    async def broken(request: web.Request) -> web.StreamResponse:
        return web.Response(status=502)

    fake = await upstream(broken)
    draws = random.Random(6812)
    runtime = runtime_factory(
        fake.url, retries=6, backoff_seconds=0.5, retry_after_max_seconds=8, jitter=draws.random
    )
    with pytest.raises(UpstreamUnavailable):
        await runtime.fetch(UpstreamRequest(), parse=read_json)
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]  # doubling, capped at retry_after_max_seconds
    assert fake.calls == 7
    assert len(sleep.delays) == 6
    assert all(0 <= d <= c for d, c in zip(sleep.delays, ceilings, strict=True))
    assert len(set(sleep.delays)) == 6  # jittered, not a fixed schedule


async def test_request_id_and_accept_are_sent_upstream(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    async def ok(request: web.Request) -> web.StreamResponse:
        return web.json_response({})

    fake = await upstream(ok)
    runtime = runtime_factory(fake.url.rstrip("/") + "/stat/")
    request = UpstreamRequest(
        path="/connectSAPI/stat_forward.php", params={"API": "/api?action=23"}, request_id="r-6812"
    )
    await runtime.fetch(request, parse=read_json)
    seen = fake.seen[0]
    assert seen.headers["X-Request-Id"] == "r-6812"
    assert seen.headers["Accept"] == "application/json"
    assert seen.path == "/stat/connectSAPI/stat_forward.php"
    assert seen.query["API"] == "/api?action=23"


async def test_a_connector_without_url_answers_unavailable(
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    runtime = runtime_factory(None)
    with pytest.raises(UpstreamUnavailable, match="agency is not configured"):
        await runtime.fetch(UpstreamRequest(), parse=read_json)
    assert runtime.status().base_url is None


async def test_timeout_covers_the_whole_answer(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b"[")
        await asyncio.sleep(0.2)  # headers came at once; the body never finishes in time
        await response.write(b"]")
        return response

    fake = await upstream(trickle)
    runtime = runtime_factory(fake.url, timeout_seconds=0.05, retries=0)
    with pytest.raises(UpstreamTimeout):
        await runtime.fetch(UpstreamRequest(), parse=read_json)


async def test_inside_a_request_each_call_is_noted_with_its_outcome(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    agency = Population()
    fake = await upstream(agency)
    runtime = runtime_factory(fake.url, cache_ttl_seconds=60, retries=0)
    with entered(RequestScope()) as scope:
        await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
        await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")
        agency.failing = True
        with pytest.raises(UpstreamUnavailable):
            await runtime.fetch(UpstreamRequest(), parse=read_json)
    await runtime.fetch(UpstreamRequest(), parse=read_json, cache_key="10")  # outside: not noted
    assert [(c.connector, c.outcome) for c in scope.calls] == [
        (runtime.name, "ok"),
        (runtime.name, "cache_hit"),
        (runtime.name, "unavailable"),
    ]
