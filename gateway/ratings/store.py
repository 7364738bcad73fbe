"""Ratings in the database: accepted with their outbox row in one transaction, moved along when
CITIZENinfo answers, and tallied per point for the summary.

Statuses we record: ``ACCEPTED`` (stored, waiting for delivery), ``DELIVERED`` (CITIZENinfo has
it), ``REJECTED`` (CITIZENinfo refused it for good; ``reason`` says why).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from central_codes.database import session_factory
from gateway.idempotency import check_repeat, store_once
from gateway.outbox import enqueue
from gateway.outbox.queue import utc
from gateway.ratings.intake import RatingDraft
from gateway.ratings.models import RatingRow

__all__ = [
    "ACCEPTED",
    "DELIVERED",
    "OUTBOX_KIND",
    "REJECTED",
    "RatingRecord",
    "RatingStore",
    "Tally",
    "agency_message",
]

OUTBOX_KIND = "rating"
ACCEPTED, DELIVERED, REJECTED = "ACCEPTED", "DELIVERED", "REJECTED"


@dataclass(frozen=True, slots=True)
class RatingRecord:
    """A rating as stored."""

    row: RatingRow
    created: bool = False  # True for the call that stored it, False for a repeat


@dataclass(frozen=True, slots=True)
class Tally:
    """Ratings of one point: how many, and the sum of their scores."""

    count: int = 0
    total: int = 0


def agency_message(row: RatingRow) -> dict[str, Any]:
    """The outbox payload: the point, and the body CITIZENinfo is sent (our id as its
    ``clientReference``, so a repeat stores nothing)."""
    body = {"score": row.score, "comment": row.comment, "clientReference": row.rating_id}
    return {"pointId": row.point_id, "body": body}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RatingStore:
    """Rating rows over one engine."""

    def __init__(self, engine: AsyncEngine, clock: Callable[[], dt.datetime] = _now) -> None:
        self._sessions = session_factory(engine)
        self._clock = clock

    async def add(self, draft: RatingDraft) -> RatingRecord:
        """Store a rating and its outbox row in one transaction; a repeat of the same key
        answers the rating stored the first time (another rating under that key is
        BAD_USER_INPUT)."""
        row = self._row(draft, self._clock())

        async def write(session: AsyncSession) -> None:
            session.add(row)
            enqueue(session, OUTBOX_KIND, row.rating_id, agency_message(row), now=row.received_at)

        known = await store_once(self._sessions, lambda: self.repeat(draft), write)
        return known or RatingRecord(row, created=True)

    async def repeat(self, draft: RatingDraft) -> RatingRecord | None:
        """The rating already stored under the draft's key (BAD_USER_INPUT if it differs)."""
        async with self._sessions() as session:
            row = await session.scalar(
                select(RatingRow).where(RatingRow.idempotency_key == draft.idempotency_key)
            )
        if row is None:
            return None
        check_repeat(row.fingerprint, draft.fingerprint(), "rating")
        return RatingRecord(_aware(row))

    async def find(self, rating_id: str) -> RatingRow | None:
        """A rating by our id."""
        async with self._sessions() as session:
            row = await session.get(RatingRow, rating_id)
        return None if row is None else _aware(row)

    async def delivered(self, rating_id: str, agency_rating_id: str) -> None:
        """CITIZENinfo has the rating; recorded once however often it is delivered."""
        await self._move(
            rating_id, DELIVERED, delivered_at=self._clock(), agency_rating_id=agency_rating_id
        )

    async def rejected(self, rating_id: str, reason: str) -> None:
        """CITIZENinfo refused the rating for good."""
        await self._move(rating_id, REJECTED, reason=reason)

    async def uncounted(self, point_ids: Collection[str], since: dt.datetime) -> dict[str, Tally]:
        """Per point, our ratings a figure the agency gave at ``since`` cannot include yet:
        those not delivered, and those delivered after that moment."""
        waiting = or_(
            RatingRow.status == ACCEPTED,
            and_(RatingRow.status == DELIVERED, RatingRow.delivered_at > utc(since)),
        )
        query = (
            select(RatingRow.point_id, func.count(), func.sum(RatingRow.score))
            .where(RatingRow.point_id.in_(list(point_ids)), waiting)
            .group_by(RatingRow.point_id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return {point: Tally(int(count), int(total)) for point, count, total in rows}

    async def _move(self, rating_id: str, status: str, **values: Any) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(RatingRow)
                .where(RatingRow.rating_id == rating_id, RatingRow.status == ACCEPTED)
                .values(status=status, **values)
            )

    @staticmethod
    def _row(draft: RatingDraft, now: dt.datetime) -> RatingRow:
        return RatingRow(
            rating_id=str(uuid.uuid4()),
            idempotency_key=draft.idempotency_key,
            fingerprint=draft.fingerprint(),
            point_id=draft.point_id,
            score=draft.score,
            comment=draft.comment,
            status=ACCEPTED,
            received_at=now,
        )


def _aware(row: RatingRow) -> RatingRow:
    row.received_at = utc(row.received_at)
    row.delivered_at = None if row.delivered_at is None else utc(row.delivered_at)
    return row
