"""The rating loader: every point of a request from one query per moment the agency's figures
were read, each point's average with our ratings its figure cannot include yet."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.loaders.ratings import make_rating_loader
from gateway.outbox import OutboxWorker
from gateway.ratings import AgencyFigure, Ratings, RatingSummary, validate
from gateway.schema.context import GraphContext

POINT_A, POINT_B, POINT_C = (str(uuid.uuid4()) for _ in range(3))


def rating(point: str, score: int) -> Any:
    return validate(point=point, score=score, comment="", idempotency_key=uuid.uuid4().hex)


async def test_one_query_per_moment_for_every_point_of_a_request(engine: AsyncEngine) -> None:
    ratings = Ratings(engine, OutboxWorker(engine), lambda: None)
    delivered = (await ratings.store.add(rating(POINT_A, 1))).row
    await ratings.store.add(rating(POINT_A, 5))  # waiting for delivery
    await ratings.store.add(rating(POINT_B, 2))  # waiting for delivery
    await ratings.store.delivered(delivered.rating_id, "agency-1")
    queries: list[int] = []
    uncounted = ratings.store.uncounted

    async def counted(points: Any, since: dt.datetime) -> Any:
        queries.append(len(points))
        return await uncounted(points, since)

    ratings.store.uncounted = counted  # type: ignore[method-assign]
    before = delivered.received_at - dt.timedelta(minutes=1)  # the index read before both
    after = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)  # a figure read after delivery
    context = GraphContext(request_id="r-1", registry=None, ratings=ratings)  # type: ignore[arg-type]
    loader = make_rating_loader(context)
    found = await asyncio.gather(
        loader.load((POINT_A, AgencyFigure(4.0, 10, before))),
        loader.load((POINT_B, AgencyFigure(None, 0, before))),
        loader.load((POINT_C, AgencyFigure(3.0, 1, before))),
        loader.load((POINT_A, AgencyFigure(4.0, 11, after))),
    )
    assert found == [
        RatingSummary(round((40 + 1 + 5) / 12, 2), 12, 2, before),
        RatingSummary(2.0, 1, 1, before),
        RatingSummary(3.0, 1, 0, before),
        RatingSummary(round((44 + 5) / 12, 2), 12, 1, after),
    ]
    assert sorted(queries) == [1, 3]  # one query per moment, not one per point
