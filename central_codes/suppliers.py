"""Who supplies water and electricity to each subdistrict: the province rule, and overrides.

MEA and MWA serve Bangkok (10), Samut Prakan (11) and Nonthaburi (12); PEA and PWA serve every
other province. The rule is not exact at the edges (surveys list MWA service in some
subdistricts of Pathum Thani, Nakhon Pathom and Samut Sakhon), so an imported table of
overrides (:class:`SupplierOverride`, kept on the snapshot) names the supplier of a subdistrict
where the rule is wrong, with its source and date. Everything here is pure.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from central_codes.codes import Level

if TYPE_CHECKING:
    from central_codes.records import AreaRecord
    from central_codes.snapshot import Snapshot

__all__ = [
    "METRO_PROVINCES",
    "RULE_SOURCE",
    "SUPPLIERS",
    "Overrides",
    "SupplierOverride",
    "SupplierRecord",
    "UtilityKind",
    "index_overrides",
    "subdistricts_under",
    "supplier_of",
    "suppliers_under",
]

METRO_PROVINCES = frozenset({"10", "11", "12"})
RULE_SOURCE = (
    "Province rule: MEA and MWA in Bangkok, Samut Prakan and Nonthaburi; PEA and PWA elsewhere"
)


class UtilityKind(enum.Enum):
    """What a supplier supplies."""

    WATER = "water"
    ELECTRICITY = "electricity"


# The suppliers of each kind: (metropolitan, provincial).
SUPPLIERS: Mapping[UtilityKind, tuple[str, str]] = {
    UtilityKind.WATER: ("MWA", "PWA"),
    UtilityKind.ELECTRICITY: ("MEA", "PEA"),
}


@dataclass(frozen=True, slots=True)
class SupplierOverride:
    """One imported row: the supplier of one kind for one subdistrict, where the rule is wrong."""

    area_code: str
    kind: UtilityKind
    supplier: str
    source: str
    as_of: dt.date


@dataclass(frozen=True, slots=True)
class SupplierRecord:
    """Who supplies an area, from which source and as of when; ``by_rule`` for the province rule."""

    supplier: str
    source: str
    as_of: dt.date
    by_rule: bool


Overrides = Mapping[tuple[str, UtilityKind], SupplierOverride]


def index_overrides(rows: tuple[SupplierOverride, ...]) -> Overrides:
    """Overrides by ``(subdistrict code, kind)``; a later row for the same key wins."""
    return {(row.area_code, row.kind): row for row in rows}


def supplier_of(
    snapshot: Snapshot, code: str, kind: UtilityKind, overrides: Overrides
) -> SupplierRecord:
    """The supplier of ``kind`` for one subdistrict: its override, else the province rule.

    The rule's date is the day the release was loaded: the day the rule was applied to it.
    """
    found = overrides.get((code, kind))
    if found is not None:
        return SupplierRecord(found.supplier, found.source, found.as_of, by_rule=False)
    metro, provincial = SUPPLIERS[kind]
    supplier = metro if code[:2] in METRO_PROVINCES else provincial
    return SupplierRecord(supplier, RULE_SOURCE, snapshot.release.loaded_at.date(), by_rule=True)


def subdistricts_under(snapshot: Snapshot, area: AreaRecord) -> tuple[AreaRecord, ...]:
    """The active subdistricts of a province or district; a subdistrict is its own."""
    if area.level is Level.SUBDISTRICT:
        return (area,)
    if area.level is Level.PROVINCE:
        return snapshot.subdistricts_by_province.get(area.code, ())
    return snapshot.children(area.code)


def suppliers_under(
    snapshot: Snapshot, area: AreaRecord, kind: UtilityKind, overrides: Overrides
) -> tuple[SupplierRecord, ...]:
    """The distinct suppliers of ``kind`` of an area's subdistricts, by supplier code.

    Where some subdistricts have a supplier by the rule and others by an override, the one
    record says ``by_rule`` False, names every source and carries the newest date.
    """
    grouped: dict[str, list[SupplierRecord]] = {}
    for sub in subdistricts_under(snapshot, area):
        record = supplier_of(snapshot, sub.code, kind, overrides)
        grouped.setdefault(record.supplier, []).append(record)
    return tuple(_merged(grouped[name]) for name in sorted(grouped))


def _merged(records: list[SupplierRecord]) -> SupplierRecord:
    sources = sorted({r.source for r in records})
    return SupplierRecord(
        records[0].supplier,
        "; ".join(sources),
        max(r.as_of for r in records),
        by_rule=all(r.by_rule for r in records),
    )
