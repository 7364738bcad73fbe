"""Reading the audit trail back: the newest records, for operators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.audit.models import AuditRow
from gateway.audit.record import AuditRecord

__all__ = ["newest_records"]


async def newest_records(engine: AsyncEngine, last: int) -> list[AuditRecord]:
    """The ``last`` records written most recently, newest first."""
    query = select(AuditRow.__table__).order_by(AuditRow.id.desc()).limit(last)
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).mappings().all()
    return [AuditRecord.from_row(row) for row in rows]
