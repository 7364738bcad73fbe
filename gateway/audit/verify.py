"""Check every chain of the audit trail: ``moi-gateway audit verify``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.audit.models import AuditRow
from gateway.audit.record import GENESIS, AuditRecord

__all__ = ["BrokenLink", "Verification", "verify_trail"]


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first record that does not follow from the one before it, and why."""

    id: int
    chain: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"record {self.id} (chain {self.chain}, #{self.seq}): {self.reason}"


@dataclass(frozen=True, slots=True)
class Verification:
    """How many records and chains were checked, and the first broken link if any."""

    records: int
    chains: int
    broken: BrokenLink | None


async def verify_trail(engine: AsyncEngine) -> Verification:
    """Walk every record in the order written; stop at the first broken link."""
    heads: dict[str, tuple[int, str]] = {}  # chain -> (last seq, last hash)
    checked = 0
    async with engine.connect() as connection:
        rows = await connection.stream(select(AuditRow.__table__).order_by(AuditRow.id))
        async for row in rows.mappings():
            record = AuditRecord.from_row(row)
            reason = _broken(record, heads.get(record.chain, (0, GENESIS)))
            if reason is not None:
                return Verification(
                    checked, len(heads), BrokenLink(row["id"], record.chain, record.seq, reason)
                )
            heads[record.chain] = (record.seq, record.hash)
            checked += 1
    return Verification(checked, len(heads), None)


def _broken(record: AuditRecord, head: tuple[int, str]) -> str | None:
    seq, prev = head
    if record.seq != seq + 1:
        return f"follows #{seq} of its chain: records in between are missing or reordered"
    if record.prev_hash != prev:
        return "its prev_hash is not the hash of the record before it"
    if not record.intact:
        return "its hash does not match its content: it was changed"
    return None
