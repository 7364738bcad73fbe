"""Provincial Waterworks Authority (PWA): branches and their outage notices, as the sandbox serves it.

Contract: [assumed] throughout (no public interface was found; to be confirmed with PWA).

- ``GET /api/branches[?region=N]`` -> ``{"count", "branches": [branch]}``; a branch is
  ``{branchCode, name, region, provinceCode, districtCodes[]}``; ``GET /api/branches/{code}``
  -> one branch; ``GET /api/branches/by-area/{tambonCode}`` -> the branch serving a DOPA
  subdistrict; ``GET /api/branches/{code}/outages`` -> ``{"branchCode", "outages": [notice]}``;
  ``GET /api/outages?tambonCode=a,b`` (repeatable, up to 100 codes of any level) -> ``{"outages"}``
  for a batch. An unknown branch, or an area PWA does not serve (Bangkok, Samut Prakan,
  Nonthaburi: MWA's), is 404 ``{"message": ...}``.
- A notice: ``{noticeId, branchCode, title, reason, planned, startAt, endAt, affectedAreas[
  {tambonCode, name}]}``, times ISO 8601 with ``+07:00``.
- About 234 branches in 10 regions: each province outside the metro area is split into
  ``round(districts / 3.7)`` branches (at least one) of consecutive districts; a branch code is
  7 digits, ``5`` + the region's last digit + the province code + a 3-digit sequence
  (``5484001``: region 4, Surat Thani (84), branch 001; regions in :data:`REGIONS`); its name is its first
  district's (the province's for a ``เมือง`` district).

Notices: about one subdistrict in 30 has an outage each day (``data.rng("pwa", code, day)``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.agencies._thai_time import bangkok_now
from sandbox.agencies._utility import (
    METRO,
    Outage,
    area_codes,
    json_response,
    outages_in,
    subdistricts_for,
)
from sandbox.data import SandboxData
from sandbox.server import Agency

__all__ = ["AGENCY", "REGIONS", "SHARE", "Branch", "branch_for_area", "branches", "notices_for"]

SHARE = 1 / 30
DISTRICTS_PER_BRANCH = 3.7
REGIONS = {
    1: "20 21 22 23 24 25 26 27", 2: "13 14 15 16 17 18 19", 3: "70 71 72 73 74 75 76 77",
    4: "80 81 82 83 84 85 86", 5: "90 91 92 93 94 95 96", 6: "40 44 45 46",
    7: "38 39 41 42 43 47 48", 8: "30 31 32 33 34 35 36 37 49", 9: "50 51 52 54 55 56 57 58",
    10: "53 60 61 62 63 64 65 66 67",
}  # fmt: skip
_REGION_OF = {p: region for region, codes in REGIONS.items() for p in codes.split()}
REASONS = ("ซ่อมท่อเมนแตก", "ปรับปรุงระบบผลิตน้ำ", "ล้างถังกรองน้ำ", "ไฟฟ้าดับที่สถานีสูบน้ำ", "เชื่อมต่อท่อเมนใหม่")


@dataclass(frozen=True, slots=True)
class Branch:
    """One PWA branch and the districts it serves."""

    code: str
    name: str
    region: int
    province_code: str
    district_codes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The branch as the API answers it."""
        return {
            "branchCode": self.code,
            "name": self.name,
            "region": self.region,
            "provinceCode": self.province_code,
            "districtCodes": list(self.district_codes),
        }


@functools.lru_cache(maxsize=4)
def branches(data: SandboxData) -> tuple[Branch, ...]:
    """Every PWA branch, by code."""
    found: list[Branch] = []
    for province in data.snapshot.provinces:
        if province.code in METRO:
            continue
        districts = data.snapshot.children(province.code)
        count = max(1, round(len(districts) / DISTRICTS_PER_BRANCH))
        for seq in range(count):
            group = districts[seq * len(districts) // count : (seq + 1) * len(districts) // count]
            seat = group[0].name_th
            name = province.name_th if seat.startswith("เมือง") else seat
            region = _REGION_OF[province.code]
            code = f"5{region % 10}{province.code}{seq + 1:03d}"
            found.append(
                Branch(
                    code,
                    f"การประปาส่วนภูมิภาคสาขา{name}",
                    region,
                    province.code,
                    tuple(d.code for d in group),
                )
            )
    return tuple(sorted(found, key=lambda b: b.code))


def branch_for_area(data: SandboxData, code: str) -> Branch | None:
    """The branch serving a subdistrict or district (None for the metro area or unknown codes)."""
    return next((b for b in branches(data) if code[:4] in b.district_codes), None)


def _notice(branch: Branch, outage: Outage) -> dict[str, Any]:
    area = outage.area
    return {
        "noticeId": f"PWA-{branch.code}-{outage.outage_id}",
        "branchCode": branch.code,
        "title": f"ประกาศงดจ่ายน้ำประปา ตำบล{area.name_th}",
        "reason": outage.reason,
        "planned": outage.planned,
        "startAt": outage.start.isoformat(),
        "endAt": outage.end.isoformat(),
        "affectedAreas": [{"tambonCode": area.code, "name": area.name_th}],
    }


def notices_for(data: SandboxData, codes: Sequence[str], day: dt.date) -> list[dict[str, Any]]:
    """The notices of ``day`` touching any subdistrict under ``codes``."""
    provinces = [p.code for p in data.snapshot.provinces if p.code not in METRO]
    found = []
    for area in subdistricts_for(data, codes, provinces):
        branch = branch_for_area(data, area.code)
        if branch is not None:
            found += [
                _notice(branch, o) for o in outages_in(data, "pwa", area, day, SHARE, REASONS)
            ]
    return found


def _not_found(what: str) -> web.Response:
    return json_response({"message": f"{what} not found"}, status=404)


def _routes(data: SandboxData) -> Sequence[web.RouteDef]:
    by_code = {b.code: b for b in branches(data)}

    async def listing(request: web.Request) -> web.Response:
        region = request.query.get("region")
        found = [b.as_json() for b in by_code.values() if region is None or str(b.region) == region]
        return json_response({"count": len(found), "branches": found})

    async def one(request: web.Request) -> web.Response:
        branch = by_code.get(request.match_info["code"])
        return json_response(branch.as_json()) if branch else _not_found("branch")

    async def by_area(request: web.Request) -> web.Response:
        branch = branch_for_area(data, request.match_info["tambonCode"])
        return json_response(branch.as_json()) if branch else _not_found("area served by PWA")

    async def branch_outages(request: web.Request) -> web.Response:
        branch = by_code.get(request.match_info["code"])
        if branch is None:
            return _not_found("branch")
        notices = notices_for(data, branch.district_codes, bangkok_now().date())
        return json_response({"branchCode": branch.code, "outages": notices})

    async def batch(request: web.Request) -> web.Response:
        codes = area_codes(request, "tambonCode")
        return json_response({"outages": notices_for(data, codes, bangkok_now().date())})

    return [
        web.get("/api/branches", listing),
        web.get("/api/branches/by-area/{tambonCode}", by_area),
        web.get("/api/branches/{code}", one),
        web.get("/api/branches/{code}/outages", branch_outages),
        web.get("/api/outages", batch),
    ]


AGENCY = Agency("pwa", "Provincial Waterworks Authority (PWA)", _routes)
