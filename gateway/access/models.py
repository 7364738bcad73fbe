"""The API key table: each key's holder, tier, scopes and budget, and only a hash of the key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["AccessBase", "ApiKeyRow"]


class AccessBase(DeclarativeBase):
    """Declarative base of the access tables."""


class ApiKeyRow(AccessBase):
    """One issued key; ``key_hash`` is SHA-256 of the whole key, which is never stored."""

    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[str] = mapped_column(String(400))  # space-separated
    rate_per_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
