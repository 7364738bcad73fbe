"""Complaints in the database: accepted with their outbox row in one transaction, read back with
their history, and moved along when 1567 answers.

Statuses we record: ``ACCEPTED`` (stored, waiting for delivery), ``DELIVERED`` (1567 has it,
with its own tracking number), ``REJECTED`` (1567 refused it for good).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from central_codes.database import session_factory
from gateway.complaints.intake import ComplaintDraft, centre_for
from gateway.complaints.models import ComplaintEventRow, ComplaintRow
from gateway.idempotency import check_repeat, store_once
from gateway.outbox import enqueue
from gateway.outbox.queue import utc

__all__ = [
    "ACCEPTED",
    "DELIVERED",
    "OUTBOX_KIND",
    "REJECTED",
    "ComplaintRecord",
    "ComplaintStore",
    "Event",
    "agency_body",
]

OUTBOX_KIND = "complaint"
ACCEPTED, DELIVERED, REJECTED = "ACCEPTED", "DELIVERED", "REJECTED"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U


@dataclass(frozen=True, slots=True)
class Event:
    """One step in a complaint's history."""

    status: str
    note: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class ComplaintRecord:
    """A complaint as stored, with its history, oldest first."""

    row: ComplaintRow
    history: tuple[Event, ...]
    created: bool = False  # True for the call that stored it, False for a repeat


def tracking_number(now: dt.datetime) -> str:
    """``MOI-<Buddhist-era year>-<10 random characters>``: unguessable, so a number is a key."""
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"MOI-{now.year + 543}-{tail}"


def agency_body(row: ComplaintRow) -> dict[str, Any]:
    """What 1567 is sent; our tracking number is its ``clientReference`` (idempotency)."""
    contact = {"name": row.contact_name} | {
        k: v for k, v in (("phone", row.contact_phone), ("email", row.contact_email)) if v
    }
    return {
        "category": row.category,
        "subject": row.subject,
        "detail": row.detail,
        "areaCode": row.area_code,
        "contact": contact,
        "clientReference": row.tracking_number,
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ComplaintStore:
    """Complaint rows over one engine."""

    def __init__(self, engine: AsyncEngine, clock: Callable[[], dt.datetime] = _now) -> None:
        self._engine = engine
        self._sessions = session_factory(engine)
        self._clock = clock

    async def file(self, draft: ComplaintDraft, snapshot: Any) -> ComplaintRecord:
        """Store a complaint and its outbox row in one transaction; a repeat of the same key
        answers the complaint stored the first time (and a different complaint under that key
        is BAD_USER_INPUT)."""
        now = self._clock()
        centre = centre_for(snapshot, draft.area_code)
        row = self._row(draft, tracking_number(now), centre, now)

        async def write(session: AsyncSession) -> None:
            session.add(row)
            await session.flush()  # the row before its event (no ORM relationship orders them)
            session.add(ComplaintEventRow(
                tracking_number=row.tracking_number, status=ACCEPTED,
                note=f"รับเรื่องแล้ว ส่งต่อ{centre.name}", at=now,
            ))  # fmt: skip
            enqueue(session, OUTBOX_KIND, row.tracking_number, agency_body(row), now=now)

        known = await store_once(self._sessions, lambda: self._by_key(draft), write)
        if known is not None:
            return known
        found = await self.find(row.tracking_number)
        assert found is not None
        return ComplaintRecord(found.row, found.history, created=True)

    async def find(self, number: str) -> ComplaintRecord | None:
        """A complaint and its history by our tracking number."""
        async with self._sessions() as session:
            row = await session.get(ComplaintRow, number)
            if row is None:
                return None
            events = await session.scalars(
                select(ComplaintEventRow)
                .where(ComplaintEventRow.tracking_number == number)
                .order_by(ComplaintEventRow.id)
            )
            history = tuple(Event(e.status, e.note, utc(e.at)) for e in events)
        row.created_at = utc(row.created_at)
        return ComplaintRecord(row, history)

    async def delivered(self, number: str, agency_number: str, note: str) -> None:
        """1567 has the complaint; recorded once however often it is delivered."""
        await self._move(number, DELIVERED, note, agency_tracking_number=agency_number)

    async def rejected(self, number: str, note: str) -> None:
        """1567 refused the complaint for good."""
        await self._move(number, REJECTED, note)

    async def _move(self, number: str, status: str, note: str, **values: Any) -> None:
        async with self._sessions() as session, session.begin():
            moved = await session.execute(
                update(ComplaintRow)
                .where(ComplaintRow.tracking_number == number, ComplaintRow.status == ACCEPTED)
                .values(status=status, **values)
            )
            if moved.rowcount:
                session.add(ComplaintEventRow(
                    tracking_number=number, status=status, note=note, at=self._clock()
                ))  # fmt: skip

    async def _by_key(self, draft: ComplaintDraft) -> ComplaintRecord | None:
        async with self._sessions() as session:
            number = await session.scalar(
                select(ComplaintRow.tracking_number).where(
                    ComplaintRow.idempotency_key == draft.idempotency_key
                )
            )
        found = None if number is None else await self.find(number)
        if found is not None:
            check_repeat(found.row.fingerprint, draft.fingerprint(), "complaint")
        return found

    @staticmethod
    def _row(draft: ComplaintDraft, number: str, centre: Any, now: dt.datetime) -> ComplaintRow:
        return ComplaintRow(
            tracking_number=number,
            idempotency_key=draft.idempotency_key,
            fingerprint=draft.fingerprint(),
            category=draft.category.value,
            subject=draft.subject,
            detail=draft.detail,
            area_code=draft.area_code,
            centre_code=centre.province_code,
            contact_name=draft.contact.name,
            contact_phone=draft.contact.phone,
            contact_email=draft.contact.email,
            status=ACCEPTED,
            created_at=now,
        )
