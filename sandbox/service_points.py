"""About 60,000 government service points over every subdistrict, for the CITIZENinfo sandbox.

Every active subdistrict gets its local government office (a municipality or a subdistrict
administrative organisation) and a health-promoting hospital (in Bangkok: two BMA public-health
centres), so at least two points, and a seeded number of further points (schools, post offices, police stations, ...).
Each district's offices (district office, hospital, ...) sit in its first subdistrict, each
province's (provincial hall, land office, ...) in its capital district's first subdistrict. The
per-subdistrict count is drawn so that the expected total is :data:`TARGET_POINTS`.

Points lie within about a kilometre of their subdistrict's point (:mod:`sandbox.geo`); ids are
``uuid5`` of the seed, the subdistrict and the point's number in it, so they never change for
a given seed. Generated on first use, once per snapshot and seed.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from central_codes.records import AreaRecord
from central_codes.snapshot import Snapshot
from sandbox import geo
from sandbox.data import SandboxData
from sandbox.memo import per_snapshot
from sandbox.offices import BANGKOK, KINDS, office_name, org_code
from sandbox.procedures import procedure_ids_for_kind

__all__ = ["NAMESPACE", "TARGET_POINTS", "ServicePoint", "ServicePoints", "service_points"]

TARGET_POINTS = 60_000
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://citizeninfo.sandbox/service-points")
_EXTRA_KINDS = ("health", "school", "school", "childcare", "post", "police", "agri_centre")
_DISTRICT_KINDS = (("district_office", 1.0), ("hospital", 1.0), ("electricity", 1.0))
_DISTRICT_MAYBE = (("agri_office", 0.9), ("revenue", 0.6), ("land_branch", 0.4))
_PROVINCE_KINDS = (
    "provincial_hall",
    "land_office",
    "transport",
    "social_security",
    "employment",
    "damrongdhama",
    "health_office",
    "commerce",
    "dla_office",
)


@dataclass(frozen=True, slots=True)
class ServicePoint:
    """One service point as CITIZENinfo publishes it (before any new rating)."""

    point_id: str
    name: str
    org_code: str
    kind: str
    tambon_code: str
    lat: float
    lon: float
    procedures: tuple[int, ...]
    no_copy: bool
    score: float | None  # the mean rating, None before the first one
    count: int


@dataclass(frozen=True, eq=False)
class ServicePoints:
    """Every point, in export order (by subdistrict code, then number), with its indexes."""

    points: tuple[ServicePoint, ...]
    by_id: Mapping[str, ServicePoint]
    by_tambon: Mapping[str, tuple[ServicePoint, ...]]


@per_snapshot
def service_points(data: SandboxData) -> ServicePoints:
    """The service points of this snapshot and seed (generated once, on first use)."""
    return _index(list(_generate(data)))


def _index(points: list[ServicePoint]) -> ServicePoints:
    by_tambon: dict[str, list[ServicePoint]] = {}
    for point in points:
        by_tambon.setdefault(point.tambon_code, []).append(point)
    return ServicePoints(
        tuple(points), {p.point_id: p for p in points}, {k: tuple(v) for k, v in by_tambon.items()}
    )


def _seats(snapshot: Snapshot) -> dict[str, list[str]]:
    """For each seat subdistrict, the district and province offices it hosts."""
    hosted: dict[str, list[str]] = {}
    for province in snapshot.provinces:
        for n, district in enumerate(snapshot.children(province.code)):
            seat = snapshot.children(district.code)
            if seat:
                hosted.setdefault(seat[0].code, []).append(district.code)
                if n == 0:
                    hosted[seat[0].code].append(province.code)
    return hosted


def _generate(data: SandboxData) -> Iterator[ServicePoint]:
    snapshot = data.snapshot
    seats = _seats(snapshot)
    subdistricts = [a for areas in snapshot.subdistricts_by_province.values() for a in areas]
    hosted_total = sum(len(_DISTRICT_KINDS) + 2 for v in seats.values() for c in v if len(c) == 4)
    hosted_total += len(_PROVINCE_KINDS) * len(snapshot.provinces)
    extra = max(0.0, (TARGET_POINTS - hosted_total) / len(subdistricts) - 2)
    for area in sorted(subdistricts, key=lambda a: a.code):
        yield from _points_in(data, area, seats.get(area.code, []), extra)


def _kinds_in(area: AreaRecord, hosted: list[str], extra: float, rng: random.Random) -> list[str]:
    bangkok = area.code.startswith(BANGKOK)
    local = "bma_centre" if bangkok else ("municipality" if rng.random() < 0.3 else "sao")
    kinds = [local, "health"]
    kinds += [
        rng.choice(_EXTRA_KINDS) for _ in range(int(rng.uniform(0, 2 * extra) + rng.random()))
    ]
    for code in hosted:
        if len(code) == 4:
            kinds += [k for k, _ in _DISTRICT_KINDS]
            maybe = [(k, p) for k, p in _DISTRICT_MAYBE if k != "land_branch" or code[2:] != "01"]
            kinds += [k for k, p in maybe if rng.random() < p]  # the capital: the land office
        else:
            kinds += list(_PROVINCE_KINDS)
    if bangkok:  # BMA runs the health centres; no farm extension nor DLA office in the capital
        kinds = ["bma_centre" if k == "health" else k for k in kinds]
        kinds = [k for k in kinds if k not in ("agri_centre", "agri_office", "dla_office")]
    return kinds


def _points_in(
    data: SandboxData, area: AreaRecord, hosted: list[str], extra: float
) -> Iterator[ServicePoint]:
    snapshot = data.snapshot
    district, province = snapshot.areas[area.code[:4]], snapshot.areas[area.code[:2]]
    rng = data.rng("citizeninfo", area.code)
    lat, lon = geo.point_for(data, area.code)
    seen: dict[str, int] = {}
    for n, key in enumerate(_kinds_in(area, hosted, extra, rng)):
        kind = KINDS[key]
        seen[key] = seen.get(key, 0) + 1
        name = office_name(kind, area, district, province)
        angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(0.001, 0.008)
        count = rng.randint(0, 400)
        yield ServicePoint(
            point_id=str(uuid.uuid5(NAMESPACE, f"{data.seed}/{area.code}/{n}")),
            name=name if seen[key] == 1 else f"{name} แห่งที่ {seen[key]}",
            org_code=org_code(kind, area),
            kind=key,
            tambon_code=area.code,
            lat=round(lat + radius * math.cos(angle), 6),
            lon=round(lon + radius * math.sin(angle), 6),
            procedures=procedure_ids_for_kind(key),
            no_copy=rng.random() < 0.7,
            score=round(rng.triangular(2.5, 5.0, 4.3), 2) if count else None,
            count=count,
        )
