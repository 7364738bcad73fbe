"""Coordinates the sandbox agencies place things at: the registry's points, spread out.

Each active subdistrict starts from its registry point (:mod:`central_codes.locations`:
GeoNames places, CC BY 4.0, placed by subdistrict, district or province name). Each point then
moves by a small deterministic offset drawn from the seeded generator (``data.rng("geo",
code)``), wider for a coarser precision, so that the subdistricts of one district do not
coincide. Districts and provinces get the centroid of their subdistricts'
points. Everything is computed once per snapshot and seed, then cached.

The API (:func:`point_for`, :func:`placement_for`, :func:`placements`,
:func:`precision_shares`, :class:`Placement`) is stable: other sandbox agencies build on it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType

from central_codes.locations import PRECISIONS, Location, PlacedBy, centroids
from sandbox.data import SandboxData
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


# The offset's radius (degrees, min and max) by precision: ~0-450 m, 1-7 km, 3-28 km.
SPREAD_DEGREES: Mapping[PlacedBy, tuple[float, float]] = {
    "subdistrict": (0.0005, 0.004),
    "district": (0.01, 0.06),
    "province": (0.03, 0.25),
}
# (south, north, west, east): an offset never carries a point out of the country's box.
THAILAND_BOUNDS = (5.6, 20.4, 97.4, 105.6)


Placement = Location  # where the sandbox put an area, how precisely, and from which places


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


def _place_all(data: SandboxData) -> dict[str, Placement]:
    found: dict[str, Placement] = {}
    for areas in data.snapshot.subdistricts_by_province.values():
        for area in areas:
            found[area.code] = _offset(data, area.code, data.snapshot.locations[area.code])
    return found | centroids(found)


def _offset(data: SandboxData, code: str, anchor: Location) -> Placement:
    rng = data.rng("geo", code)
    angle = rng.uniform(0.0, 2 * math.pi)
    radius = rng.uniform(*SPREAD_DEGREES[anchor.placed_by])
    south, north, west, east = THAILAND_BOUNDS
    lat = min(north, max(south, anchor.lat + radius * math.cos(angle)))
    lon = anchor.lon + radius * math.sin(angle) / math.cos(math.radians(lat))
    lon = min(east, max(west, lon))
    return Placement(round(lat, 6), round(lon, 6), anchor.placed_by, anchor.source)
