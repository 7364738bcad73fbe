"""Single-flight across instances: two runtimes over one cache (two gateway processes over one
Redis, or two runtimes over one in-process cache) ask the agency once for the same key."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from gateway.connectors import Cache, ConnectorRuntime, Freshness, UpstreamRequest
from gateway.connectors.messages import UpstreamResponse
from gateway.errors import UpstreamUnavailable
from tests.gateway.connectors.fakes import FakeUpstream, Handler


def read_json(response: UpstreamResponse) -> Any:
    return response.json()


def slow(status: int) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.2)
        return web.json_response({"total": 42}, status=status)

    return handle


async def test_a_second_instance_waits_for_the_first_ones_answer(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    cache_factory: Callable[[], Cache],
) -> None:
    fake = await upstream(slow(200))
    shared = cache_factory()
    one, two = (runtime_factory(fake.url, cache=shared) for _ in range(2))
    first, second = await asyncio.gather(
        one.fetch(UpstreamRequest(), parse=read_json, cache_key="10"),
        two.fetch(UpstreamRequest(), parse=read_json, cache_key="10"),
    )
    assert fake.calls == 1
    assert first.value == second.value == {"total": 42}
    assert {first.freshness, second.freshness} == {Freshness.FRESH, Freshness.CACHED}
    assert one.metrics.calls["cache_hit"] + two.metrics.calls["cache_hit"] == 1


async def test_when_the_first_instance_fails_the_second_asks_itself(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    cache_factory: Callable[[], Cache],
) -> None:
    fake = await upstream(slow(503))
    shared = cache_factory()
    one, two = (runtime_factory(fake.url, cache=shared, retries=0) for _ in range(2))
    results = await asyncio.gather(
        one.fetch(UpstreamRequest(), parse=read_json, cache_key="10"),
        two.fetch(UpstreamRequest(), parse=read_json, cache_key="10"),
        return_exceptions=True,
    )
    assert [type(r) for r in results] == [UpstreamUnavailable, UpstreamUnavailable]
    assert fake.calls == 2  # one after the other: the claim passed on, nothing was merged
    assert await shared.claim("agency:10", seconds=1)  # and nobody holds it now


@pytest.mark.parametrize("key", [None, "10"])
async def test_different_keys_and_uncached_calls_are_not_held(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    cache_factory: Callable[[], Cache],
    key: str | None,
) -> None:
    fake = await upstream(slow(200))
    shared = cache_factory()
    one, two = (runtime_factory(fake.url, cache=shared) for _ in range(2))
    other = None if key is None else "11"
    await asyncio.gather(
        one.fetch(UpstreamRequest(), parse=read_json, cache_key=key),
        two.fetch(UpstreamRequest(), parse=read_json, cache_key=other),
    )
    assert fake.calls == 2
    assert fake.max_in_flight == 2
