"""Importing supplier overrides from CSV: every row checked first, then all written or none.

The file has the header ``area_code,kind,supplier,source,as_of``: a known active subdistrict
code, ``water`` or ``electricity``, a supplier of that kind (MWA or PWA; MEA or PEA), a
non-empty source and an ISO date. An imported row replaces the override of the same
subdistrict and kind. A running gateway compares the overrides with those it serves each time
it polls for a new registry release, and swaps in a snapshot with the new ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.codes import Level
from central_codes.models import Area, SupplierOverride
from central_codes.records import Status
from central_codes.suppliers import SUPPLIERS, UtilityKind
from central_codes.suppliers import SupplierOverride as OverrideRecord

__all__ = ["HEADER", "OverrideImport", "import_supplier_overrides", "parse_overrides"]

HEADER = ("area_code", "kind", "supplier", "source", "as_of")


@dataclass(frozen=True, slots=True)
class OverrideImport:
    """What an import found: the good rows, and a message per bad one (then nothing is written)."""

    rows: tuple[OverrideRecord, ...]
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when every row was valid."""
        return not self.errors


def parse_overrides(text: str, subdistricts: Collection[str]) -> OverrideImport:
    """Read and check the CSV ``text`` against the codes of the active ``subdistricts``."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if tuple(reader.fieldnames or ()) != HEADER:
        return OverrideImport((), (f"the header must be {','.join(HEADER)}",))
    rows: list[OverrideRecord] = []
    errors: list[str] = []
    for line, raw in enumerate(reader, start=2):
        try:
            rows.append(_row(raw, subdistricts))
        except ValueError as error:
            errors.append(f"line {line}: {error}")
    if not rows and not errors:
        errors.append("the file has no rows")
    return OverrideImport(tuple(rows), tuple(errors))


def _row(raw: dict[str, str | None], subdistricts: Collection[str]) -> OverrideRecord:
    code, kind_text, supplier, source, as_of = ((raw.get(k) or "").strip() for k in HEADER)
    if code not in subdistricts:
        raise ValueError(f"{code!r} is not an active subdistrict code")
    try:
        kind = UtilityKind(kind_text)
    except ValueError:
        raise ValueError(f"kind {kind_text!r} is not water or electricity") from None
    if supplier not in SUPPLIERS[kind]:
        raise ValueError(f"{supplier!r} does not supply {kind.value}")
    if not source:
        raise ValueError("source is empty")
    try:
        date = dt.date.fromisoformat(as_of)
    except ValueError:
        raise ValueError(f"as_of {as_of!r} is not a date (YYYY-MM-DD)") from None
    return OverrideRecord(code, kind, supplier, source, date)


async def import_supplier_overrides(engine: AsyncEngine, text: str) -> OverrideImport:
    """Check every row of ``text``; write them all in one transaction only if all are valid."""
    async with engine.begin() as connection:
        found = await connection.execute(
            select(Area.code).where(
                Area.level == Level.SUBDISTRICT.word, Area.status == Status.ACTIVE.value
            )
        )
        result = parse_overrides(text, frozenset(found.scalars()))
        if result.ok:
            keys = [(r.area_code, r.kind.value) for r in result.rows]
            await connection.execute(
                delete(SupplierOverride).where(
                    tuple_(SupplierOverride.area_code, SupplierOverride.kind).in_(keys)
                )
            )
            await connection.execute(insert(SupplierOverride), [_values(r) for r in result.rows])
    return result


def _values(row: OverrideRecord) -> dict[str, object]:
    return {
        "area_code": row.area_code,
        "kind": row.kind.value,
        "supplier": row.supplier,
        "source": row.source,
        "as_of": row.as_of,
    }
