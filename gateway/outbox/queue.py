"""The outbox table's operations: enqueue in the caller's transaction, claim, finish, count.

Claiming is an ``UPDATE ... WHERE`` on one row that only succeeds while nobody holds its lease,
so any number of workers (in one process or in several instances sharing PostgreSQL) deliver
each row one at a time without a database-specific lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gateway.outbox.models import DELIVERED, FAILED, PENDING, OutboxRow

__all__ = [
    "OutboxDepth",
    "OutboxMessage",
    "claim_due",
    "depth",
    "enqueue",
    "mark_delivered",
    "mark_failed",
    "mark_retry",
    "utc",
]


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A claimed message as a delivery function sees it; ``attempts`` counts this one."""

    id: int
    kind: str
    idempotency_key: str
    payload: Mapping[str, Any]
    attempts: int
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class OutboxDepth:
    """Messages of one kind not delivered: waiting (``pending``) and given up on (``failed``)."""

    kind: str
    pending: int
    failed: int
    oldest_pending_at: dt.datetime | None


def utc(value: dt.datetime) -> dt.datetime:
    """``value`` as an aware UTC time (SQLite hands times back without their zone)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def enqueue(
    session: AsyncSession,
    kind: str,
    idempotency_key: str,
    payload: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> OutboxRow:
    """Add a message to ``session``: it is stored (and later sent) only if the caller commits."""
    when = now or dt.datetime.now(dt.UTC)
    row = OutboxRow(
        kind=kind,
        idempotency_key=idempotency_key,
        payload=dict(payload),
        state=PENDING,
        attempts=0,
        created_at=when,
        next_attempt_at=when,
    )
    session.add(row)
    return row


async def claim_due(
    engine: AsyncEngine, now: dt.datetime, lease_seconds: float, limit: int
) -> list[OutboxMessage]:
    """Take the lease on up to ``limit`` due messages, oldest first, counting an attempt on each."""
    free = or_(OutboxRow.locked_until.is_(None), OutboxRow.locked_until < now)
    due = (
        select(OutboxRow.id)
        .where(OutboxRow.state == PENDING, OutboxRow.next_attempt_at <= now, free)
        .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
        .limit(limit)
    )
    until = now + dt.timedelta(seconds=lease_seconds)
    claimed: list[OutboxMessage] = []
    async with engine.begin() as connection:
        ids = (await connection.execute(due)).scalars().all()
    for row_id in ids:
        take = (
            update(OutboxRow)
            .where(OutboxRow.id == row_id, OutboxRow.state == PENDING, free)
            .values(locked_until=until, attempts=OutboxRow.attempts + 1)
            .returning(
                OutboxRow.id,
                OutboxRow.kind,
                OutboxRow.idempotency_key,
                OutboxRow.payload,
                OutboxRow.attempts,
                OutboxRow.created_at,
            )
        )
        async with engine.begin() as connection:
            got = (await connection.execute(take)).first()
        if got is not None:
            row_id, kind, key, payload, attempts, created_at = got
            claimed.append(OutboxMessage(row_id, kind, key, payload, attempts, utc(created_at)))
    return claimed


async def mark_delivered(
    engine: AsyncEngine, message_id: int, answer: Mapping[str, Any], now: dt.datetime
) -> None:
    """The agency took the message; keep its answer."""
    await _finish(
        engine, message_id, state=DELIVERED, answer=dict(answer), finished_at=now, last_error=None
    )


async def mark_failed(engine: AsyncEngine, message_id: int, reason: str, now: dt.datetime) -> None:
    """The agency rejected the message for good; keep why (an operator decides what next)."""
    await _finish(engine, message_id, state=FAILED, finished_at=now, last_error=reason)


async def mark_retry(
    engine: AsyncEngine, message_id: int, reason: str, next_attempt_at: dt.datetime
) -> None:
    """Delivery failed for now; try again at ``next_attempt_at``."""
    await _finish(engine, message_id, next_attempt_at=next_attempt_at, last_error=reason)


async def _finish(engine: AsyncEngine, message_id: int, **values: Any) -> None:
    # a row another worker already finished (after our lease ran out) is left as it is
    change = (
        update(OutboxRow)
        .where(OutboxRow.id == message_id, OutboxRow.state == PENDING)
        .values(locked_until=None, **values)
    )
    async with engine.begin() as connection:
        await connection.execute(change)


async def depth(engine: AsyncEngine) -> list[OutboxDepth]:
    """Undelivered messages per kind, for metrics and operators."""
    query = (
        select(OutboxRow.kind, OutboxRow.state, func.count(), func.min(OutboxRow.created_at))
        .where(OutboxRow.state != DELIVERED)
        .group_by(OutboxRow.kind, OutboxRow.state)
    )
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    found: dict[str, OutboxDepth] = {}
    for kind, state, count, oldest in rows:
        held = found.get(kind, OutboxDepth(kind, 0, 0, None))
        if state == PENDING:
            held = OutboxDepth(kind, count, held.failed, utc(oldest))
        else:
            held = OutboxDepth(kind, held.pending, count, held.oldest_pending_at)
        found[kind] = held
    return [found[kind] for kind in sorted(found)]
