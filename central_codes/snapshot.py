"""An immutable, in-memory view of one registry release: every lookup, no database round trip.

Built once per release (:func:`read_snapshot`), then shared by every request until the next
release, or a change to the supplier overrides, replaces it whole (:class:`RegistryService`).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from central_codes.codes import Level, validate_code
from central_codes.loading import latest_release
from central_codes.locations import Location
from central_codes.models import Area, CodeHistory, Crosswalk, PostalCode, SupplierOverride
from central_codes.records import (
    AreaRecord,
    Basis,
    CrosswalkRecord,
    ReleaseInfo,
    Status,
    SuccessorLink,
)
from central_codes.suppliers import Overrides, UtilityKind, index_overrides
from central_codes.suppliers import SupplierOverride as OverrideRecord

__all__ = ["RegistryService", "Snapshot", "read_overrides", "read_snapshot"]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Every area of one release, indexed for the lookups the graph makes."""

    release: ReleaseInfo
    areas: Mapping[str, AreaRecord]
    links: tuple[SuccessorLink, ...] = ()
    crosswalks: tuple[CrosswalkRecord, ...] = ()
    supplier_overrides: Overrides = field(default_factory=dict)
    _children: dict[str, tuple[AreaRecord, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        release: ReleaseInfo,
        areas: Iterable[AreaRecord],
        links: Iterable[SuccessorLink] = (),
        crosswalks: Iterable[CrosswalkRecord] = (),
        supplier_overrides: Iterable[OverrideRecord] = (),
    ) -> Snapshot:
        """Index ``areas`` (children sorted by code, active ones only)."""
        by_code = {a.code: a for a in sorted(areas, key=lambda a: a.code)}
        children: defaultdict[str, list[AreaRecord]] = defaultdict(list)
        for area in by_code.values():
            if area.parent_code is not None and area.status is Status.ACTIVE:
                children[area.parent_code].append(area)
        return cls(
            release=release,
            areas=MappingProxyType(by_code),
            links=tuple(links),
            crosswalks=tuple(crosswalks),
            supplier_overrides=MappingProxyType(index_overrides(tuple(supplier_overrides))),
            _children={code: tuple(kids) for code, kids in children.items()},
        )

    def with_overrides(self, overrides: Iterable[OverrideRecord]) -> Snapshot:
        """The same release with other supplier overrides (areas and their points are shared)."""
        changed = dataclasses.replace(
            self, supplier_overrides=MappingProxyType(index_overrides(tuple(overrides)))
        )
        if "locations" in self.__dict__:  # computed already: the areas have not changed
            changed.__dict__["locations"] = self.__dict__["locations"]
        return changed

    def get(self, code: str) -> AreaRecord | None:
        """The area with this code (active or abolished); raises on a malformed code."""
        return self.areas.get(validate_code(code))

    def children(self, code: str) -> tuple[AreaRecord, ...]:
        """The active areas one level below ``code``, by code."""
        return self._children.get(code, ())

    def ancestors(self, area: AreaRecord) -> tuple[AreaRecord, ...]:
        """The areas above ``area``, nearest first."""
        found: list[AreaRecord] = []
        parent = area.parent_code
        while parent is not None and (up := self.areas.get(parent)) is not None:
            found.append(up)
            parent = up.parent_code
        return tuple(found)

    @cached_property
    def locations(self) -> Mapping[str, Location]:
        """A representative point of every active area, from GeoNames (see :mod:`central_codes.locations`)."""
        from central_codes.locations import locate  # it reads GeoNames' file: only when asked

        return MappingProxyType(locate(self))

    @cached_property
    def provinces(self) -> tuple[AreaRecord, ...]:
        """The active provinces, by code."""
        return self._active(Level.PROVINCE)

    @cached_property
    def subdistricts_by_province(self) -> Mapping[str, tuple[AreaRecord, ...]]:
        """Active subdistricts grouped by province code, by code."""
        grouped: defaultdict[str, list[AreaRecord]] = defaultdict(list)
        for area in self._active(Level.SUBDISTRICT):
            grouped[area.code[:2]].append(area)
        return {code: tuple(kids) for code, kids in grouped.items()}

    @cached_property
    def by_postal_code(self) -> Mapping[str, tuple[AreaRecord, ...]]:
        """Active subdistricts by each postal code they use."""
        grouped: defaultdict[str, list[AreaRecord]] = defaultdict(list)
        for area in self._active(Level.SUBDISTRICT):
            for postal in area.postal_codes:
                grouped[postal].append(area)
        return {code: tuple(kids) for code, kids in grouped.items()}

    @cached_property
    def successors(self) -> Mapping[str, tuple[SuccessorLink, ...]]:
        """The links out of each abolished code."""
        grouped: defaultdict[str, list[SuccessorLink]] = defaultdict(list)
        for link in self.links:
            grouped[link.abolished_code].append(link)
        return {code: tuple(links) for code, links in grouped.items()}

    @cached_property
    def external_codes(self) -> Mapping[str, Mapping[str, str]]:
        """For each area code, its code in each other system (``{"ISO_3166_2": "TH-84"}``)."""
        grouped: defaultdict[str, dict[str, str]] = defaultdict(dict)
        for walk in self.crosswalks:
            grouped[walk.area_code].setdefault(walk.system, walk.external_code)
        return grouped

    @cached_property
    def from_external(self) -> Mapping[tuple[str, str], str]:
        """Our area code for ``(system, external code)``."""
        return {(w.system, w.external_code): w.area_code for w in self.crosswalks}

    def _active(self, level: Level) -> tuple[AreaRecord, ...]:
        return tuple(
            a for a in self.areas.values() if a.level is level and a.status is Status.ACTIVE
        )


async def read_snapshot(engine: AsyncEngine) -> Snapshot | None:
    """The newest release as a snapshot, or None when nothing has been loaded yet."""
    release = await latest_release(engine)
    if release is None:
        return None
    async with engine.connect() as connection:
        postal: defaultdict[str, list[str]] = defaultdict(list)
        for area_code, postal_code in await connection.execute(
            select(PostalCode.area_code, PostalCode.postal_code).order_by(PostalCode.postal_code)
        ):
            postal[area_code].append(postal_code)
        areas = [_area(row, postal) for row in await connection.execute(select(Area.__table__))]
        links = [_link(row) for row in await connection.execute(select(CodeHistory.__table__))]
        walks = [
            CrosswalkRecord(r.system, r.external_code, r.area_code, r.source, r.as_of)
            for r in await connection.execute(select(Crosswalk.__table__))
        ]
        overrides = await _overrides(connection)
    return Snapshot.build(release, areas, links, walks, overrides)


async def read_overrides(engine: AsyncEngine) -> list[OverrideRecord]:
    """The supplier overrides as they stand in the database now."""
    async with engine.connect() as connection:
        return await _overrides(connection)


async def _overrides(connection: AsyncConnection) -> list[OverrideRecord]:
    return [
        OverrideRecord(r.area_code, UtilityKind(r.kind), r.supplier, r.source, r.as_of)
        for r in await connection.execute(select(SupplierOverride.__table__))
    ]


def _area(row: object, postal: Mapping[str, list[str]]) -> AreaRecord:
    r = row._mapping  # type: ignore[attr-defined]
    return AreaRecord(
        code=r["code"],
        level=Level[r["level"].upper()],
        name_th=r["name_th"],
        name_en=r["name_en"],
        status=Status(r["status"]),
        parent_code=r["parent_code"],
        abolished_on=r["abolished_on"],
        postal_codes=tuple(postal.get(r["code"], ())),
    )


def _link(row: object) -> SuccessorLink:
    r = row._mapping  # type: ignore[attr-defined]
    return SuccessorLink(
        abolished_code=r["abolished_code"],
        successor_code=r["successor_code"],
        abolished_on=r["abolished_on"],
        basis=Basis(r["basis"]),
        in_force_on=r["in_force_on"],
        source=r["source"],
    )


class RegistryService:
    """Holds the current snapshot and swaps in a new one, whole, when a new release appears."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._snapshot: Snapshot | None = None
        self._lock = asyncio.Lock()

    @property
    def snapshot(self) -> Snapshot:
        """The current snapshot; raises before the first :meth:`refresh`."""
        if self._snapshot is None:
            raise LookupError("the registry has not been loaded")
        return self._snapshot

    @property
    def loaded(self) -> bool:
        """True once a snapshot is being served."""
        return self._snapshot is not None

    async def refresh(self) -> bool:
        """Swap in the newest release, or the served one with changed supplier overrides.

        True when a new snapshot is served. Overrides are imported apart from releases
        (``registry suppliers-import``), so each refresh also compares them (a small table).
        """
        async with self._lock:
            newest = await latest_release(self._engine)
            if newest is None:
                return False
            current = self._snapshot
            if current is not None and current.release.id == newest.id:
                overrides = index_overrides(tuple(await read_overrides(self._engine)))
                if overrides == dict(current.supplier_overrides):
                    return False
                self._snapshot = current.with_overrides(overrides.values())
                return True
            snapshot = await read_snapshot(self._engine)
            if snapshot is None:
                return False
            self._snapshot = snapshot  # one assignment: readers see the old or the new, whole
            return True
