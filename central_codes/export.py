"""Every area of a snapshot as flat rows: what ``registry export`` writes and
``/open-data/areas.csv`` serves. The columns are a published promise: add, never rename."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from central_codes.records import AreaRecord
from central_codes.snapshot import Snapshot

__all__ = ["EXPORT_COLUMNS", "area_rows", "csv_cells"]

EXPORT_COLUMNS = (
    "code",
    "level",
    "name_th",
    "name_en",
    "status",
    "parent_code",
    "abolished_on",
    "postal_codes",
    "successors",
)


def area_rows(snapshot: Snapshot) -> Iterator[dict[str, Any]]:
    """One row per area, active and abolished, lists as lists."""
    successors = snapshot.successors
    for area in snapshot.areas.values():
        yield _row(area, [link.successor_code for link in successors.get(area.code, ())])


def csv_cells(row: dict[str, Any]) -> dict[str, str]:
    """A row as CSV cells: lists joined by spaces, booleans as true/false, null as empty."""
    return {key: _cell(value) for key, value in row.items()}


def _row(area: AreaRecord, successors: Sequence[str]) -> dict[str, Any]:
    return {
        "code": area.code,
        "level": area.level.word,
        "name_th": area.name_th,
        "name_en": area.name_en,
        "status": area.status.value,
        "parent_code": area.parent_code,
        "abolished_on": area.abolished_on.isoformat() if area.abolished_on else None,
        "postal_codes": list(area.postal_codes),
        "successors": list(successors),
    }


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(value)
    return "" if value is None else str(value)
