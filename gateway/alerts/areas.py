"""CAP areas onto registry codes: by geocode first, then by an exact name, never by a guess.

Geocodes read: ``ISO3166-2`` (also spelt ``ISO 3166-2`` or ``ISO_3166_2``) values ``TH-CC``
through the registry's ISO crosswalk, and ``DOPA`` values of 2, 4 or 6 digits that name an area
of the registry. An area without a usable geocode is looked up by its ``areaDesc``: only a
whole-name match counts (aliases such as "กทม" included); when several areas carry the name,
the one at the highest level wins if it is the only one there (TMD names provinces), otherwise
the name is ambiguous and the area stays unmapped, as does an unknown name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from central_codes.crosswalk import ISO_3166_2
from central_codes.search import EXACT, SearchIndex
from central_codes.snapshot import Snapshot
from gateway.connectors.cap_alerts import CapArea

__all__ = ["AreaMapper", "MappedArea"]

_ISO_NAMES = frozenset({"iso3166-2", "iso 3166-2", "iso_3166_2"})
_DOPA_CODE = re.compile(r"^(?:\d{2}|\d{4}|\d{6})$")


@dataclass(frozen=True, slots=True)
class MappedArea:
    """A CAP area with the registry codes it stands for (empty: we could not tell which)."""

    desc: str
    codes: tuple[str, ...]

    @property
    def mapped(self) -> bool:
        """True when at least one registry code was found."""
        return bool(self.codes)


class AreaMapper:
    """Maps CAP areas onto the codes of one registry snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._index = SearchIndex(snapshot)

    def map(self, area: CapArea) -> MappedArea:
        """The registry codes of ``area``: its geocodes' or, failing those, its name's."""
        codes = [c for name, value in area.geocodes if (c := self._geocode(name, value))]
        if not codes:
            codes = [c for c in [self.by_name(area.desc)] if c]
        return MappedArea(area.desc, tuple(dict.fromkeys(codes)))

    def by_name(self, name: str) -> str | None:
        """The one area whose whole name is ``name``, else None (unknown or ambiguous)."""
        exact = [m.area for m in self._index.search(name, first=50) if m.score >= EXACT]
        if not exact:
            return None
        top = min(a.level.value for a in exact)
        at_top = [a for a in exact if a.level.value == top]
        return at_top[0].code if len(at_top) == 1 else None

    def _geocode(self, name: str, value: str) -> str | None:
        value = value.strip()
        if name.strip().lower() in _ISO_NAMES:
            return self.snapshot.from_external.get((ISO_3166_2, value.upper()))
        if name.strip().upper() == "DOPA" and _DOPA_CODE.match(value):
            return value if value in self.snapshot.areas else None
        return None
