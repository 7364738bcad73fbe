"""The outbox on SQLite and PostgreSQL: stored only with the caller's commit, delivered once,
retried with backoff while the agency fails, kept when rejected, taken over after a crash."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.database import create_engine, session_factory
from gateway.errors import UpstreamUnavailable
from gateway.outbox import (
    DELIVERED,
    FAILED,
    PENDING,
    DeliveryRejected,
    OutboxMessage,
    OutboxPolicy,
    OutboxRow,
    OutboxWorker,
    enqueue,
)
from gateway.outbox.queue import claim_due

START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
POLICY = OutboxPolicy(backoff_seconds=10, backoff_max_seconds=60, lease_seconds=30)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class Agency:
    """A delivery function that records what it was sent and fails while told to."""

    def __init__(self) -> None:
        self.received: list[tuple[str, Mapping[str, Any]]] = []
        self.failure: Exception | None = None

    async def __call__(self, message: OutboxMessage) -> Mapping[str, Any]:
        if self.failure is not None:
            raise self.failure
        self.received.append((message.idempotency_key, message.payload))
        return {"ref": f"A-{message.idempotency_key}"}


async def _enqueue(engine: AsyncEngine, key: str, kind: str = "rating", **payload: Any) -> None:
    async with session_factory(engine)() as session, session.begin():
        enqueue(session, kind, key, payload or {"score": 5}, now=START)


async def _rows(engine: AsyncEngine) -> list[OutboxRow]:
    async with session_factory(engine)() as session:
        return list((await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


def _worker(engine: AsyncEngine, clock: Clock, agency: Agency) -> OutboxWorker:
    worker = OutboxWorker(engine, POLICY, clock=clock, jitter=lambda: 0.5)
    worker.register("rating", agency)
    return worker


async def test_a_message_is_stored_only_when_the_caller_commits(engine: AsyncEngine) -> None:
    async def fail_after_enqueue() -> None:
        async with session_factory(engine)() as session, session.begin():
            enqueue(session, "rating", "k1", {"score": 4})
            raise RuntimeError("the business row failed")

    with pytest.raises(RuntimeError):
        await fail_after_enqueue()
    assert await _rows(engine) == []


async def test_a_committed_message_is_delivered_once_with_its_payload(engine: AsyncEngine) -> None:
    clock, agency = Clock(), Agency()
    worker = _worker(engine, clock, agency)
    await _enqueue(engine, "k1", score=4, comment="ดีมาก")
    report = await worker.deliver_due()
    again = await worker.deliver_due()
    assert agency.received == [("k1", {"score": 4, "comment": "ดีมาก"})]
    assert (len(report.delivered), again.count) == (1, 0)
    [row] = await _rows(engine)
    assert (row.state, row.attempts, row.answer) == (DELIVERED, 1, {"ref": "A-k1"})
    assert (row.locked_until is None, row.finished_at is not None) == (True, True)


async def test_a_failing_agency_is_retried_after_a_growing_backoff(engine: AsyncEngine) -> None:
    clock, agency = Clock(), Agency()
    worker = _worker(engine, clock, agency)
    await _enqueue(engine, "k1")
    agency.failure = UpstreamUnavailable("down", connector="citizeninfo")
    assert len((await worker.deliver_due()).retried) == 1
    clock.advance(7)  # first backoff: 10 s ceiling, jitter 0.5 -> 7.5 s
    assert (await worker.deliver_due()).count == 0
    clock.advance(1)
    assert len((await worker.deliver_due()).retried) == 1
    [row] = await _rows(engine)
    assert (row.state, row.attempts) == (PENDING, 2)
    assert (row.last_error or "").startswith("UPSTREAM_UNAVAILABLE")
    agency.failure = None
    clock.advance(15)  # second backoff: 20 s ceiling -> 15 s
    assert len((await worker.deliver_due()).delivered) == 1
    assert [key for key, _ in agency.received] == ["k1"]


async def test_the_agencys_retry_after_is_waited_for(engine: AsyncEngine) -> None:
    clock, agency = Clock(), Agency()
    worker = _worker(engine, clock, agency)
    await _enqueue(engine, "k1")
    agency.failure = UpstreamUnavailable("busy", connector="citizeninfo", retryAfter=40)
    await worker.deliver_due()
    agency.failure = None
    clock.advance(39)
    assert (await worker.deliver_due()).count == 0
    clock.advance(1)
    assert len((await worker.deliver_due()).delivered) == 1


async def test_a_rejected_message_is_kept_as_failed_and_never_sent_again(
    engine: AsyncEngine,
) -> None:
    clock, agency = Clock(), Agency()
    worker = _worker(engine, clock, agency)
    await _enqueue(engine, "k1")
    agency.failure = DeliveryRejected("HTTP 422: score out of range")
    assert len((await worker.deliver_due()).failed) == 1
    clock.advance(3600)
    assert (await worker.deliver_due()).count == 0
    [row] = await _rows(engine)
    assert (row.state, row.last_error) == (FAILED, "HTTP 422: score out of range")
    [depth] = await worker.depth()
    assert (depth.kind, depth.pending, depth.failed) == ("rating", 0, 1)


async def test_a_kind_without_a_delivery_function_waits_rather_than_being_lost(
    engine: AsyncEngine,
) -> None:
    clock, agency = Clock(), Agency()
    worker = _worker(engine, clock, agency)
    await _enqueue(engine, "c1", kind="complaint")
    assert len((await worker.deliver_due()).retried) == 1
    [depth] = await worker.depth()
    assert (depth.kind, depth.pending, depth.oldest_pending_at) == ("complaint", 1, START)


async def test_a_message_held_by_a_crashed_worker_is_sent_again_after_its_lease(
    engine: AsyncEngine,
) -> None:
    clock, agency = Clock(), Agency()
    await _enqueue(engine, "k1")
    # what a process killed mid-delivery leaves behind: the lease taken, nothing finished
    assert len(await claim_due(engine, clock(), POLICY.lease_seconds, 10)) == 1
    worker = _worker(engine, clock, agency)
    assert (await worker.deliver_due()).count == 0
    clock.advance(31)
    assert len((await worker.deliver_due()).delivered) == 1
    [row] = await _rows(engine)
    assert (row.state, row.attempts) == (DELIVERED, 2)


async def test_workers_sharing_the_table_deliver_each_message_once(engine: AsyncEngine) -> None:
    clock, agency = Clock(), Agency()
    for i in range(30):
        await _enqueue(engine, f"k{i}")
    workers = [_worker(engine, clock, agency) for _ in range(3)]
    await asyncio.gather(*(w.deliver_due() for w in workers))
    assert sorted(key for key, _ in agency.received) == sorted(f"k{i}" for i in range(30))
    assert {row.state for row in await _rows(engine)} == {DELIVERED}


async def test_the_background_worker_delivers_on_notify_and_flushes_on_stop(
    engine: AsyncEngine,
) -> None:
    agency = Agency()
    worker = OutboxWorker(engine, OutboxPolicy(poll_seconds=3600))
    worker.register("rating", agency)
    worker.start()
    await asyncio.sleep(0.05)  # the first pass finds nothing; the next waits for a notify
    await _enqueue(engine, "k1")
    worker.notify()
    for _ in range(200):
        if agency.received:
            break
        await asyncio.sleep(0.01)
    assert [key for key, _ in agency.received] == ["k1"]
    await _enqueue(engine, "k2")
    report = await worker.stop()  # no notify: the flush on stop sends it
    assert len(report.delivered) == 1
    assert [key for key, _ in agency.received] == ["k1", "k2"]


def test_a_kind_has_one_delivery_function() -> None:
    worker = OutboxWorker(create_engine("sqlite://"))  # nothing is opened
    worker.register("rating", Agency())
    with pytest.raises(ValueError, match="rating"):
        worker.register("rating", Agency())


@pytest.mark.parametrize(
    ("attempts", "jitter", "retry_after", "delay"),
    [
        (1, 0.0, None, 5.0),
        (1, 1.0, None, 10.0),
        (2, 0.5, None, 15.0),
        (3, 0.0, None, 20.0),
        (10, 1.0, None, 60.0),  # capped
        (1, 0.0, 42.0, 42.0),  # the agency's Retry-After wins when longer
        (3, 1.0, 2.0, 40.0),
    ],
)
def test_backoff_doubles_with_jitter_up_to_its_cap(
    attempts: int, jitter: float, retry_after: float | None, delay: float
) -> None:
    assert POLICY.delay(attempts, jitter, retry_after) == delay
