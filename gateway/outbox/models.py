"""The outbox table: requests to agencies that must not be lost, written with the business row.

A row is ``pending`` until its delivery function succeeds (``delivered``, with the agency's
answer) or the agency rejects it for good (``failed``, with the reason). ``locked_until`` is the
lease a worker takes while it delivers, so several gateway instances can share one table; a
worker killed mid-delivery leaves a lease that simply expires, and the row is delivered again
under the same idempotency key (the agency answers it once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["DELIVERED", "FAILED", "PENDING", "OutboxBase", "OutboxRow"]

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"


class OutboxBase(DeclarativeBase):
    """Declarative base of the outbox table."""


class OutboxRow(OutboxBase):
    """One message to an agency and where its delivery stands."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (
        UniqueConstraint("kind", "idempotency_key", name="uq_outbox_kind_key"),
        Index("ix_outbox_state_next_attempt", "state", "next_attempt_at"),
    )
