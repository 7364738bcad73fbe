"""Fakes for the connector runtime: an agency that is just a function from request to response,
a clock moved by hand and a sleep that only records."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

__all__ = ["FakeClock", "FakeSleep", "FakeUpstream", "Handler"]

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
