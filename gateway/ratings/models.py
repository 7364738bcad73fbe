"""The rating table: each rating as we accepted it, and where its delivery to CITIZENinfo stands.

A rating row and its outbox row are written in one transaction, so a stored rating is always on
its way to the agency. ``delivered_at`` tells a point's summary whether the agency's own figure,
read at some moment, can already include the rating.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["RatingRow", "RatingsBase"]


class RatingsBase(DeclarativeBase):
    """Declarative base of the rating table."""


class RatingRow(RatingsBase):
    """One accepted rating of a service point."""

    __tablename__ = "ratings"

    rating_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the agency's reference
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the input: a reused key is caught
    point_id: Mapped[str] = mapped_column(String(36))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    agency_rating_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why the agency refused it

    __table_args__ = (Index("ix_ratings_point_status", "point_id", "status"),)
