"""Metropolitan Waterworks Authority (MWA): water outages near a point, as the sandbox serves it.

Contract:

- [known] ``GET /api/mobile/no-water-running-area/latitude/{lat}/longitude/{lon}`` -> a JSON
  array of ``{areaName, startDate, endDate, soi, reason, impactBranches[], polygons[
  {coordinates[{latitude, longitude}]}]}``, coordinates as strings, nearest first; MWA serves
  Bangkok (10), Samut Prakan (11) and Nonthaburi (12) only: elsewhere the array is empty.
- [assumed] "near" is within :data:`RADIUS_KM` of the point; a point is in the service area when
  the nearest subdistrict point (:mod:`sandbox.geo`, GeoNames-based) lies in 10, 11 or 12;
  ``startDate``/``endDate`` are ISO local times without offset (``2025-12-10T22:00:00``,
  Bangkok time); each polygon is a closed ring of six points around the works; a malformed
  coordinate is 400.

Outages come from :func:`outages_for_day`: about one subdistrict in eight has one or two
notices per day (``data.rng("mwa", code, day)``); a test computes them with the same day.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from central_codes.records import AreaRecord
from sandbox import geo
from sandbox.agencies._thai_time import bangkok_now
from sandbox.agencies._utility import METRO, Outage, distance_km, json_response, outages_in
from sandbox.data import SandboxData
from sandbox.server import Agency

__all__ = [
    "AGENCY",
    "RADIUS_KM",
    "SHARE",
    "answer",
    "branches_for",
    "in_service_area",
    "outages_for_day",
]

RADIUS_KM = 8.0
SHARE = 0.125
PATH = "/api/mobile/no-water-running-area/latitude/{lat}/longitude/{lon}"
REASONS = (
    "ซ่อมท่อประปาแตกรั่ว ขนาด 300 มม.",
    "เชื่อมประสานท่อประปา",
    "ปรับปรุงระบบท่อจ่ายน้ำ",
    "ล้างท่อประปาเพื่อปรับปรุงคุณภาพน้ำ",
    "ติดตั้งมาตรวัดน้ำขนาดใหญ่",
)
BRANCHES = {
    "10": ("แม้นศรี", "พญาไท", "ทุ่งมหาเมฆ", "สุขุมวิท", "พระโขนง", "ลาดพร้าว", "บางเขน", "มีนบุรี",
           "บางกอกน้อย", "ตากสิน", "ภาษีเจริญ", "ราษฎร์บูรณะ", "มหาสวัสดิ์"),
    "11": ("สมุทรปราการ", "บางพลี"),
    "12": ("นนทบุรี", "บางบัวทอง", "ประชาชื่น"),
}  # fmt: skip
ROADS = ("ถนนเพชรเกษม", "ถนนสุขุมวิท", "ถนนรามคำแหง", "ถนนงามวงศ์วาน", "ถนนจรัญสนิทวงศ์", "ถนนประชาอุทิศ")


def in_service_area(data: SandboxData, lat: float, lon: float) -> bool:
    """Whether the subdistrict point nearest to ``(lat, lon)`` is in Bangkok, Samut Prakan or Nonthaburi."""
    points = geo.placements(data)
    nearest = min(
        (code for code in points if len(code) == 6),
        key=lambda code: (points[code].lat - lat) ** 2 + (points[code].lon - lon) ** 2,
    )
    return nearest[:2] in METRO


def branches_for(area: AreaRecord) -> list[str]:
    """The MWA branch offices (Thai names) that serve a subdistrict."""
    names = BRANCHES[area.code[:2]]
    first = int(area.code[2:4]) % len(names)
    return [f"สาขา{names[first]}", f"สาขา{names[(first + 1) % len(names)]}"][
        : 1 + int(area.code[-1]) % 2
    ]


@functools.lru_cache(maxsize=8)
def outages_for_day(data: SandboxData, day: dt.date) -> tuple[Outage, ...]:
    """Every MWA outage notice of ``day``."""
    return tuple(
        outage
        for province in METRO
        for area in data.snapshot.subdistricts_by_province.get(province, ())
        for outage in outages_in(data, "mwa", area, day, SHARE, REASONS)
    )


def _polygon(outage: Outage) -> dict[str, Any]:
    ring = [
        (
            outage.lat + 0.003 * math.cos(a * math.pi / 3),
            outage.lon + 0.003 * math.sin(a * math.pi / 3),
        )
        for a in range(6)
    ]
    ring.append(ring[0])
    return {"coordinates": [{"latitude": f"{la:.6f}", "longitude": f"{lo:.6f}"} for la, lo in ring]}


def _item(data: SandboxData, outage: Outage) -> dict[str, Any]:
    area = outage.area
    district = data.snapshot.areas[area.code[:4]]
    prefix = "แขวง" if area.code.startswith("10") else "ตำบล"
    return {
        "areaName": f"{prefix}{area.name_th} {district.name_th}",
        "startDate": outage.start.replace(tzinfo=None).isoformat(),
        "endDate": outage.end.replace(tzinfo=None).isoformat(),
        "soi": f"{ROADS[int(area.code) % len(ROADS)]} ซอย {int(area.code[-2:]) * 2}",
        "reason": outage.reason,
        "impactBranches": branches_for(area),
        "polygons": [_polygon(outage)],
    }


def answer(data: SandboxData, lat: float, lon: float, day: dt.date) -> list[dict[str, Any]]:
    """What MWA answers for a point on ``day``: outages within the radius, nearest first."""
    if not in_service_area(data, lat, lon):
        return []
    near = [
        (distance_km(lat, lon, o.lat, o.lon), o.outage_id, o) for o in outages_for_day(data, day)
    ]
    return [_item(data, outage) for d, _, outage in sorted(near) if d <= RADIUS_KM]


def _routes(data: SandboxData) -> Sequence[web.RouteDef]:
    async def no_water(request: web.Request) -> web.Response:
        try:
            lat, lon = float(request.match_info["lat"]), float(request.match_info["lon"])
        except ValueError:
            return json_response({"message": "latitude and longitude must be numbers"}, status=400)
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return json_response({"message": "latitude and longitude must be numbers"}, status=400)
        return json_response(answer(data, lat, lon, bangkok_now().date()))

    return [web.get(PATH, no_water)]


AGENCY = Agency("mwa", "Metropolitan Waterworks Authority (MWA)", _routes)
