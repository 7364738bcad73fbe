"""The outbox delivers ratings to the sandbox CITIZENinfo (SQLite and PostgreSQL): once when it
answers, again later when it is down, and kept with the reason when it refuses one for good."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.outbox import DELIVERED, FAILED, OutboxRow, OutboxWorker
from gateway.ratings import Ratings, validate
from sandbox.server import Sandbox
from sandbox.service_points import service_points


class Clock:
    """The outbox worker's clock, moved by hand past each backoff."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def catch_up(self) -> None:
        """To the wall clock's time: what was just stored is due."""
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def runtime(clean_points_sandbox: Sandbox) -> AsyncIterator[ConnectorRuntime]:
    """A runtime to the sandbox CITIZENinfo whose breaker never opens."""
    url = clean_points_sandbox.urls["citizeninfo"]
    settings = ConnectorSettings("citizeninfo", base_url=url, retries=0, breaker_failures=1000)
    async with client_session() as session:
        yield ConnectorRuntime(settings, session, cache=MemoryCache())


async def outbox_states(engine: AsyncEngine) -> list[tuple[str, int]]:
    async with engine.connect() as connection:
        rows = (await connection.execute(select(OutboxRow.state, OutboxRow.attempts))).all()
    return [(state, attempts) for state, attempts in rows]


def rating(point: str, **change: Any) -> Any:
    values: dict[str, Any] = {"score": 4, "comment": "ดี", "idempotency_key": uuid.uuid4().hex}
    return validate(point=point, **(values | change))


def posts(sandbox: Sandbox) -> int:
    return sum(r.method == "POST" for r in sandbox.state.agency("citizeninfo").requests)


async def test_a_rating_reaches_the_agency_once_after_it_comes_back(
    engine: AsyncEngine, runtime: ConnectorRuntime, clean_points_sandbox: Sandbox
) -> None:
    sandbox, clock = clean_points_sandbox, Clock()
    worker = OutboxWorker(engine, clock=clock, jitter=lambda: 0.0)
    ratings = Ratings(engine, worker, lambda: runtime)
    point = service_points(sandbox.data).points[11].point_id
    sandbox.state.set_faults("citizeninfo", {"down": True})
    record = await ratings.store.add(rating(point))
    clock.catch_up()
    assert (await worker.deliver_due()).retried == [1]
    assert (await worker.deliver_due()).count == 0  # backing off
    sandbox.state.set_faults("citizeninfo", {"down": False})
    clock.now += dt.timedelta(seconds=worker.policy.delay(1, 0.0, None))
    assert (await worker.deliver_due()).delivered == [1]
    clock.now += dt.timedelta(hours=1)
    assert (await worker.deliver_due()).count == 0
    assert posts(sandbox) == 2  # one refused while down, one delivered
    row = await ratings.store.find(record.row.rating_id)
    assert row is not None
    assert row.status == "DELIVERED"
    assert row.agency_rating_id is not None
    assert await outbox_states(engine) == [(DELIVERED, 2)]


async def test_a_refused_rating_is_kept_with_the_reason(
    engine: AsyncEngine, runtime: ConnectorRuntime, clean_points_sandbox: Sandbox
) -> None:
    worker_clock = Clock()
    worker = OutboxWorker(engine, clock=worker_clock)
    ratings = Ratings(engine, worker, lambda: runtime)
    gone = str(uuid.uuid4())  # a point the agency does not know (no longer, say)
    record = await ratings.store.add(rating(gone))
    worker_clock.catch_up()
    assert (await worker.deliver_due()).failed == [1]
    row = await ratings.store.find(record.row.rating_id)
    assert row is not None
    assert (row.status, row.reason) == (
        "REJECTED",
        "CITIZENinfo HTTP 404 NOT_FOUND: no service point with this pointId",
    )
    assert await outbox_states(engine) == [(FAILED, 1)]
    assert (await worker.deliver_due()).count == 0
    assert posts(clean_points_sandbox) == 1
