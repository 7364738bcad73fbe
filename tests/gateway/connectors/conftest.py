"""Fakes for the connector runtime: an upstream that is just a function from request to
response (served on a local port), a clock to move by hand and a sleep that only records."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from gateway.connectors import CircuitBreaker, ConnectorRuntime, ConnectorSettings, MemoryCache

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FakeClock:
    """Seconds that move only when a test says so."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeSleep:
    """Records the waits the runtime asked for and returns at once."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


@dataclass
class FakeUpstream:
    """A local agency: counts the requests it saw and how many were in flight at once."""

    handler: Handler
    url: str = ""
    calls: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    seen: list[web.Request] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.calls += 1
        self.seen.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self.handler(request)
        finally:
            self.in_flight -= 1


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


@pytest.fixture
def runtime_factory(
    session: aiohttp.ClientSession, clock: FakeClock, sleep: FakeSleep
) -> Callable[..., ConnectorRuntime]:
    """A factory: a runtime for ``url`` named "agency", settings overridable by keyword."""

    def make(
        url: str | None, *, jitter: Callable[[], float] = lambda: 1.0, **overrides: Any
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
            cache=MemoryCache(clock=clock),
            breaker=breaker,
            clock=clock,
            sleep=sleep,
            jitter=jitter,
        )

    return make
