"""The procedures of the citizen's manual: one per case of a family and office kind.

Procedure ids are fixed by the catalogue's order (``1001``...), citizen-guide ids likewise
(``70001``...): info.go.th serves them and CITIZENinfo's service points reference them.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sandbox.offices import KINDS, ORG_NAMES, OfficeKind
from sandbox.procedure_catalogue import FAMILIES, Family

__all__ = [
    "FIRST_GUIDE_ID",
    "FIRST_PROCEDURE_ID",
    "Procedure",
    "by_guide_id",
    "by_procedure_id",
    "catalogue",
    "procedure_ids_for_kind",
]

FIRST_PROCEDURE_ID = 1001
FIRST_GUIDE_ID = 70001
# Cases the ID-card law exempts from the fee (first card at 7, renewal on expiry).
_FREE_CASES = frozenset({"กรณีอายุครบ 7 ปี", "กรณีบัตรหมดอายุ"})


@dataclass(frozen=True, slots=True)
class Procedure:
    """One procedure: a case of a family, served by one kind of office."""

    procedure_id: int
    citizen_guide_id: int
    family: Family
    case: str
    kind: OfficeKind

    @property
    def title(self) -> str:
        """The Thai title, family then case ("การแจ้งเกิด กรณีเกิดในบ้าน")."""
        return f"{self.family.title} {self.case}"

    @property
    def organisation(self) -> str:
        """The responsible organisation's Thai name."""
        return ORG_NAMES[self.kind.org]

    @property
    def fee(self) -> int:
        """The fee in baht (0: free)."""
        return 0 if self.case in _FREE_CASES else self.family.fee


@functools.cache
def catalogue() -> tuple[Procedure, ...]:
    """Every procedure, by id."""
    pairs = [(f, case, kind) for f in FAMILIES for case in f.cases for kind in f.kinds]
    return tuple(
        Procedure(FIRST_PROCEDURE_ID + n, FIRST_GUIDE_ID + n, family, case, KINDS[kind])
        for n, (family, case, kind) in enumerate(pairs)
    )


@functools.cache
def by_procedure_id() -> Mapping[int, Procedure]:
    """Procedures by ``ProcedureID``."""
    return {p.procedure_id: p for p in catalogue()}


@functools.cache
def by_guide_id() -> Mapping[int, Procedure]:
    """Procedures by ``CitizenGuideID``."""
    return {p.citizen_guide_id: p for p in catalogue()}


@functools.cache
def _by_kind() -> Mapping[str, tuple[int, ...]]:
    grouped: defaultdict[str, list[int]] = defaultdict(list)
    for procedure in catalogue():
        grouped[procedure.kind.key].append(procedure.procedure_id)
    return {kind: tuple(ids) for kind, ids in grouped.items()}


def procedure_ids_for_kind(kind: str) -> tuple[int, ...]:
    """The ids of the procedures an office of this kind serves."""
    return _by_kind().get(kind, ())
