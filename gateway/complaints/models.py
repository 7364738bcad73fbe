"""The complaint tables: each complaint as we accepted it, and its history.

A complaint row and its outbox row are written in one transaction, the one that issues our
tracking number; the contact (personal data) is kept here only, for the agency, and never
shown without partner scope.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["ComplaintEventRow", "ComplaintRow", "ComplaintsBase"]


class ComplaintsBase(DeclarativeBase):
    """Declarative base of the complaint tables."""


class ComplaintRow(ComplaintsBase):
    """One accepted complaint."""

    __tablename__ = "complaints"

    tracking_number: Mapped[str] = mapped_column(String(32), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the input: a reused key is caught
    category: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    area_code: Mapped[str] = mapped_column(String(6))
    centre_code: Mapped[str] = mapped_column(String(2))  # the province whose centre handles it
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    agency_tracking_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ComplaintEventRow(ComplaintsBase):
    """One step in a complaint's history, as we saw it."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracking_number: Mapped[str] = mapped_column(ForeignKey("complaints.tracking_number"))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_complaint_events_tracking_number", "tracking_number"),)
