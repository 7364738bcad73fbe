"""Fixtures for the connector runtime: fake agencies on local ports, a session, a clock, a sleep,
caches of both kinds (in-process and Redis), and runtimes built over them."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from gateway.connectors import (
    Cache,
    CircuitBreaker,
    ConnectorRuntime,
    ConnectorSettings,
    MemoryCache,
)
from gateway.connectors.redis_cache import RedisCache
from gateway.shared_state import SharedRedis
from tests.gateway.connectors.fakes import FakeClock, FakeSleep, FakeUpstream, Handler


@pytest.fixture
async def upstream() -> AsyncIterator[Callable[[Handler], Awaitable[FakeUpstream]]]:
    """A factory: start a fake agency answering every path with ``handler``."""
    servers: list[TestServer] = []

    async def start(handler: Handler) -> FakeUpstream:
        fake = FakeUpstream(handler)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", fake.handle)
        server = TestServer(app, host="127.0.0.1", port=0)
        await server.start_server()
        servers.append(server)
        fake.url = str(server.make_url("/"))
        return fake

    yield start
    for server in servers:
        await server.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """One client session, as the app's lifespan would hold."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def clock() -> FakeClock:
    """A clock for cache ages, Retry-After dates and the breaker."""
    return FakeClock()


@pytest.fixture
def sleep() -> FakeSleep:
    """A sleep that records its waits."""
    return FakeSleep()


@pytest.fixture(params=["memory", "redis"])
def cache_factory(request: pytest.FixtureRequest, clock: FakeClock) -> Callable[[], Cache]:
    """A factory of empty caches on ``clock``: in-process, or in Redis (each under its own
    prefix); every test using it runs against both."""
    if request.param == "memory":
        return lambda: MemoryCache(clock=clock)
    redis: SharedRedis = request.getfixturevalue("shared_redis")
    numbers = itertools.count()

    def make() -> Cache:
        own = SharedRedis(redis.client, f"{redis.prefix}{next(numbers)}:")
        return RedisCache(own, clock=clock)

    return make


@pytest.fixture
def runtime_factory(
    session: aiohttp.ClientSession,
    clock: FakeClock,
    sleep: FakeSleep,
    cache_factory: Callable[[], Cache],
) -> Callable[..., ConnectorRuntime]:
    """A factory: a runtime for ``url`` named "agency", settings overridable by keyword, over
    a new cache of the parametrized kind unless ``cache`` is given."""

    def make(
        url: str | None,
        *,
        jitter: Callable[[], float] = lambda: 1.0,
        cache: Cache | None = None,
        **overrides: Any,
    ) -> ConnectorRuntime:
        values: dict[str, Any] = {
            "timeout_seconds": 2.0,
            "retries": 2,
            "backoff_seconds": 0.1,
            **overrides,
        }
        settings = ConnectorSettings(name="agency", base_url=url, **values)
        breaker = CircuitBreaker(
            failures=settings.breaker_failures,
            cooldown_seconds=settings.breaker_cooldown_seconds,
            clock=clock,
        )
        return ConnectorRuntime(
            settings,
            session,
            cache=cache if cache is not None else cache_factory(),
            breaker=breaker,
            clock=clock,
            sleep=sleep,
            jitter=jitter,
        )

    return make
