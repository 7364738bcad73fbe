"""The audit table: one row per request; rows are only ever inserted."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["AuditBase", "AuditRow"]


class AuditBase(DeclarativeBase):
    """Declarative base of the audit table."""


class AuditRow(AuditBase):
    """One request, as :class:`gateway.audit.record.AuditRecord` describes it."""

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(32))
    request_id: Mapped[str] = mapped_column(String(200))
    principal: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(20))
    operation_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    operation_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    root_fields: Mapped[str] = mapped_column(Text)
    area_codes: Mapped[str] = mapped_column(Text)
    connectors: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    duration_us: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("chain", "seq", name="uq_audit_chain_seq"),)
