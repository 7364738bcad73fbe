"""Identical concurrent calls share one upstream request; different keys do not."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from gateway.connectors import ConnectorRuntime, UpstreamRequest, UpstreamResponse
from gateway.connectors.singleflight import SingleFlight
from gateway.errors import UpstreamUnavailable
from tests.gateway.connectors.fakes import FakeUpstream, Handler


def read_json(response: UpstreamResponse) -> Any:
    return response.json()


async def echo_slowly(request: web.Request) -> web.StreamResponse:
    await asyncio.sleep(0.05)
    return web.json_response({"tambon": request.query["tt"]})


async def test_fifty_identical_fetches_make_one_upstream_request(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    fake = await upstream(echo_slowly)
    runtime = runtime_factory(fake.url)
    request = UpstreamRequest(path="/stat", params={"tt": "840503"})
    results = await asyncio.gather(
        *(runtime.fetch(request, parse=read_json, cache_key="840503") for _ in range(50))
    )
    assert fake.calls == 1
    assert [r.value for r in results] == [{"tambon": "840503"}] * 50


async def test_different_keys_are_not_merged(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    fake = await upstream(echo_slowly)
    runtime = runtime_factory(fake.url)
    codes = ["840503", "840504", "840503", "840504"]
    results = await asyncio.gather(
        *(
            runtime.fetch(UpstreamRequest(params={"tt": code}), parse=read_json, cache_key=code)
            for code in codes
        )
    )
    assert fake.calls == 2
    assert [r.value["tambon"] for r in results] == codes


async def test_errors_are_shared_and_nothing_is_kept() -> None:
    flights = SingleFlight()
    started: list[int] = []

    async def failing() -> int:
        started.append(1)
        await asyncio.sleep(0.01)
        raise UpstreamUnavailable("down", connector="agency")

    outcomes = await asyncio.gather(
        *(flights.run("k", failing) for _ in range(10)), return_exceptions=True
    )
    assert len(started) == 1
    assert all(isinstance(o, UpstreamUnavailable) for o in outcomes)
    assert len(flights) == 0
    with pytest.raises(UpstreamUnavailable):
        await flights.run("k", failing)
    assert len(started) == 2  # after it ended, the next call starts afresh


async def test_a_cancelled_caller_does_not_cancel_the_others() -> None:
    flights = SingleFlight()

    async def slow_value() -> str:
        await asyncio.sleep(0.02)
        return "value"

    first = asyncio.ensure_future(flights.run("k", slow_value))
    second = asyncio.ensure_future(flights.run("k", slow_value))
    await asyncio.sleep(0)
    first.cancel()
    assert await second == "value"
    with pytest.raises(asyncio.CancelledError):
        await first
