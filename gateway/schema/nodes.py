"""Graph objects for registry records, made once per release and shared by every request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from central_codes.codes import InvalidAreaCode, Level
from central_codes.records import AreaRecord
from central_codes.snapshot import Snapshot

if TYPE_CHECKING:
    from gateway.schema.areas import Area, District, Province, Subdistrict

__all__ = ["AreaNodes"]


class AreaNodes:
    """Turns registry records into Province / District / Subdistrict objects, each made once.

    Records never change within a release, so the objects built for one request serve the next.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._made: dict[str, Area] = {}

    def node(self, record: AreaRecord) -> Area:
        """The graph object of ``record``."""
        made = self._made.get(record.code)
        if made is None:
            made = self._made[record.code] = self._make(record)
        return made

    def build_all(self) -> int:
        """Make the object of every area now, off the request path; returns how many."""
        for record in self.snapshot.areas.values():
            self.node(record)
        return len(self._made)

    def nodes(self, records: tuple[AreaRecord, ...] | list[AreaRecord]) -> list[Area]:
        """The graph objects of several records, in order."""
        return [self.node(r) for r in records]

    def find(self, code: str) -> Area | None:
        """The node of a code, or None when no area has it (malformed codes raise)."""
        record = self.snapshot.get(code)
        return None if record is None else self.node(record)

    def find_many(self, codes: list[str]) -> list[Area | InvalidAreaCode | None]:
        """The nodes of several codes, in order: None for an unknown code, the error of a bad one."""
        found: list[Area | InvalidAreaCode | None] = []
        for code in codes:
            try:
                found.append(self.find(code))
            except InvalidAreaCode as error:
                found.append(error)
        return found

    def province(self, record: AreaRecord) -> Province:
        """The province node of any area."""
        return self.node(self.snapshot.areas[record.code[:2]])  # type: ignore[return-value]

    def district(self, record: AreaRecord) -> District:
        """The district node of a subdistrict."""
        return self.node(self.snapshot.areas[record.code[:4]])  # type: ignore[return-value]

    def subdistricts(self, records: tuple[AreaRecord, ...]) -> list[Subdistrict]:
        """Subdistrict nodes, in order."""
        return self.nodes(records)  # type: ignore[return-value]

    def _make(self, record: AreaRecord) -> Area:
        from gateway.schema.areas import District, Province, Subdistrict

        if record.level is Level.PROVINCE:
            return Province.of(record, self)
        if record.level is Level.DISTRICT:
            return District.of(record, self)
        return Subdistrict.of(record, self)
