"""Ratings in the database (SQLite and PostgreSQL): one row and one outbox message per key, moved
along once, and tallied so that the agency's figure and ours never count a rating twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.errors import BadUserInput
from gateway.outbox import OutboxRow
from gateway.ratings.intake import validate
from gateway.ratings.models import RatingRow
from gateway.ratings.store import ACCEPTED, DELIVERED, REJECTED, RatingStore, Tally

T0 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
POINT_A, POINT_B = str(uuid.uuid4()), str(uuid.uuid4())


class Clock:
    """A clock a test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def rating(**change: Any) -> Any:
    values: dict[str, Any] = {
        "point": POINT_A,
        "score": 4,
        "comment": "ดี",
        "idempotency_key": uuid.uuid4().hex,
    }
    return validate(**(values | change))


async def count(engine: AsyncEngine, table: type[Any]) -> int:
    async with engine.connect() as connection:
        found: int = (
            await connection.execute(select(func.count()).select_from(table))
        ).scalar_one()
    return found


async def test_a_rating_is_stored_with_its_outbox_message(engine: AsyncEngine) -> None:
    store = RatingStore(engine, Clock())
    record = await store.add(rating(score=5, comment="รวดเร็ว"))
    assert record.created
    found = await store.find(record.row.rating_id)
    assert found is not None
    assert (found.point_id, found.score, found.comment, found.status) == (
        POINT_A, 5, "รวดเร็ว", ACCEPTED,
    )  # fmt: skip
    assert found.received_at == T0
    async with engine.connect() as connection:
        (message,) = (await connection.execute(select(OutboxRow))).all()
    assert (message.kind, message.idempotency_key) == ("rating", record.row.rating_id)
    assert message.payload == {
        "pointId": POINT_A,
        "body": {"score": 5, "comment": "รวดเร็ว", "clientReference": record.row.rating_id},
    }


async def test_the_same_key_at_once_stores_one_rating(engine: AsyncEngine) -> None:
    store = RatingStore(engine, Clock())
    draft = rating()
    records = await asyncio.gather(*(store.add(draft) for _ in range(6)))
    assert len({r.row.rating_id for r in records}) == 1
    assert sum(r.created for r in records) == 1
    again = await store.add(draft)
    assert (again.row.rating_id, again.created) == (records[0].row.rating_id, False)
    assert await count(engine, RatingRow) == 1
    assert await count(engine, OutboxRow) == 1


async def test_the_same_key_for_another_rating_is_refused(engine: AsyncEngine) -> None:
    store = RatingStore(engine, Clock())
    draft = rating()
    await store.add(draft)
    for change in ({"score": 3}, {"comment": "อื่น"}, {"point": POINT_B}):
        with pytest.raises(BadUserInput) as raised:
            await store.add(rating(idempotency_key=draft.idempotency_key, **change))
        assert raised.value.extensions == {"argument": "idempotencyKey"}
    assert await count(engine, RatingRow) == 1


async def test_a_rating_moves_on_once(engine: AsyncEngine) -> None:
    clock = Clock()
    store = RatingStore(engine, clock)
    delivered, refused = (await store.add(rating())).row, (await store.add(rating())).row
    clock.now = T0 + dt.timedelta(minutes=1)
    await store.delivered(delivered.rating_id, "agency-1")
    await store.rejected(refused.rating_id, "HTTP 404 NOT_FOUND")
    clock.now = T0 + dt.timedelta(minutes=2)
    await store.delivered(delivered.rating_id, "agency-2")  # a second delivery changes nothing
    await store.delivered(refused.rating_id, "agency-3")
    first, second = await store.find(delivered.rating_id), await store.find(refused.rating_id)
    assert first is not None
    assert second is not None
    assert (first.status, first.agency_rating_id, first.delivered_at) == (
        DELIVERED, "agency-1", T0 + dt.timedelta(minutes=1),
    )  # fmt: skip
    assert (second.status, second.reason, second.delivered_at) == (
        REJECTED, "HTTP 404 NOT_FOUND", None,
    )  # fmt: skip


async def test_uncounted_holds_what_the_agency_figure_cannot_include(engine: AsyncEngine) -> None:
    clock = Clock()
    store = RatingStore(engine, clock)
    early = (await store.add(rating(score=1))).row  # delivered at T0 + 1 min
    late = (await store.add(rating(score=2))).row  # delivered at T0 + 3 min
    refused = (await store.add(rating(score=5))).row  # never counted
    await store.add(rating(score=4))  # waiting
    await store.add(rating(point=POINT_B, score=3))  # waiting, another point
    clock.now = T0 + dt.timedelta(minutes=1)
    await store.delivered(early.rating_id, "a-1")
    await store.rejected(refused.rating_id, "HTTP 404")
    clock.now = T0 + dt.timedelta(minutes=3)
    await store.delivered(late.rating_id, "a-2")
    points = [POINT_A, POINT_B, str(uuid.uuid4())]
    before = await store.uncounted(points, T0)
    assert before == {POINT_A: Tally(3, 1 + 2 + 4), POINT_B: Tally(1, 3)}
    between = await store.uncounted(points, T0 + dt.timedelta(minutes=2))
    assert between == {POINT_A: Tally(2, 2 + 4), POINT_B: Tally(1, 3)}
    after = await store.uncounted(points, T0 + dt.timedelta(minutes=4))
    assert after == {POINT_A: Tally(1, 4), POINT_B: Tally(1, 3)}
    bangkok = dt.timezone(dt.timedelta(hours=7))  # the same moment in another zone
    assert await store.uncounted(points, (T0 + dt.timedelta(minutes=2)).astimezone(bangkok)) == (
        between
    )
