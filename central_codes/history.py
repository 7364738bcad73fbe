"""Code history: what an abolished code became, and how sure we are of each step."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from central_codes.records import AreaRecord, Basis, Status, SuccessorLink
from central_codes.snapshot import Snapshot

__all__ = ["Certainty", "CurrentArea", "Resolution", "Succession", "current_areas", "resolve"]


class Certainty(enum.Enum):
    """How sure the registry is that one code became another."""

    CONFIRMED = "CONFIRMED"  # a legal notice or DOPA's own list says so
    LIKELY = "LIKELY"  # inferred from an identical name nearby

    @classmethod
    def of(cls, basis: Basis) -> Certainty:
        """The certainty a link's basis gives."""
        return cls.LIKELY if basis is Basis.NAME else cls.CONFIRMED


_ORDER = {Certainty.CONFIRMED: 0, Certainty.LIKELY: 1}


@dataclass(frozen=True, slots=True)
class Succession:
    """One direct link from an abolished code to a successor."""

    link: SuccessorLink
    area: AreaRecord
    certainty: Certainty


@dataclass(frozen=True, slots=True)
class CurrentArea:
    """An active area an abolished code leads to, through ``path`` (codes, oldest first)."""

    area: AreaRecord
    certainty: Certainty
    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Resolution:
    """What the registry knows of a code: the area, and for an abolished code its successors."""

    code: str
    area: AreaRecord | None
    successors: tuple[Succession, ...]
    current: tuple[CurrentArea, ...]


def resolve(snapshot: Snapshot, code: str) -> Resolution:
    """Resolve ``code`` (malformed codes raise); unknown codes give ``area=None``."""
    area = snapshot.get(code)
    if area is None:
        return Resolution(code, None, (), ())
    direct = tuple(
        Succession(link, snapshot.areas[link.successor_code], Certainty.of(link.basis))
        for link in snapshot.successors.get(area.code, ())
        if link.successor_code in snapshot.areas
    )
    return Resolution(area.code, area, direct, tuple(_walk(snapshot, area)))


def current_areas(snapshot: Snapshot, code: str) -> list[AreaRecord]:
    """The active areas a code stands for today (itself when active)."""
    area = snapshot.areas.get(code)
    return [] if area is None else [c.area for c in _walk(snapshot, area)]


def _walk(snapshot: Snapshot, start: AreaRecord) -> list[CurrentArea]:
    if start.status is Status.ACTIVE:
        return [CurrentArea(start, Certainty.CONFIRMED, (start.code,))]
    found: dict[str, CurrentArea] = {}
    stack: list[tuple[str, Certainty, tuple[str, ...]]] = [
        (start.code, Certainty.CONFIRMED, (start.code,))
    ]
    while stack:
        code, certainty, path = stack.pop()
        for link in snapshot.successors.get(code, ()):
            nxt = snapshot.areas.get(link.successor_code)
            if nxt is None or nxt.code in path:  # a cycle in the data is not followed
                continue
            step = max(certainty, Certainty.of(link.basis), key=_ORDER.__getitem__)
            if nxt.status is Status.ACTIVE:
                _keep_best(found, CurrentArea(nxt, step, (*path, nxt.code)))
            else:
                stack.append((nxt.code, step, (*path, nxt.code)))
    return sorted(found.values(), key=lambda c: c.area.code)


def _keep_best(found: dict[str, CurrentArea], candidate: CurrentArea) -> None:
    seen = found.get(candidate.area.code)
    if seen is None or _ORDER[candidate.certainty] < _ORDER[seen.certainty]:
        found[candidate.area.code] = candidate
