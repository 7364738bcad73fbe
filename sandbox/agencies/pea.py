"""Provincial Electricity Authority (PEA): outage notices per office and PEA VOLTA chargers.

Contract: [assumed] throughout (no public interface was found; to be confirmed with PEA):

- ``GET /api/offices[?region=A]`` -> ``{"count", "offices": [office]}``, an office being
  ``{officeCode, name, region, provinceCode, districtCode}``: one office per district outside
  the metro area, coded by its region letter (:data:`REGIONS`, A-L for PEA's 12 areas) and the
  DOPA district code (``K8405``); named ``การไฟฟ้าส่วนภูมิภาคอำเภอ...`` (``...จังหวัด...`` for a
  ``เมือง`` district);
- ``GET /api/offices/{code}/outages`` -> ``{"officeCode", "outages": [notice]}``; an unknown
  office is 404 ``{"message": ...}``;
- ``GET /api/outages?areaCode=a,b`` (repeatable, up to 100 DOPA codes of any level) ->
  ``{"outages": [notice]}`` for a batch; a notice is ``{noticeId, officeCode, officeName,
  title, cause, startTime, endTime, affectedAreas[{areaCode, name}]}``, ISO 8601 ``+07:00``;
- ``GET /api/ev-chargers?areaCode=...`` -> ``{"chargers": [charger]}``, OCPI-like
  ``{id, name, lat, lon, connectors[{type, powerKw, status}], operator: "PEA VOLTA", areaCode}``;
- Bangkok, Samut Prakan and Nonthaburi are MEA's: codes there answer nothing.

About one subdistrict in 25 has an outage each day (``data.rng("pea", code, day)``); about one
in ten has PEA VOLTA chargers (``data.rng("pea", code, "ev")``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from sandbox.agencies._thai_time import bangkok_now
from sandbox.agencies._utility import (
    METRO,
    area_codes,
    chargers_in,
    json_response,
    outages_in,
    subdistricts_for,
)
from sandbox.data import SandboxData
from sandbox.server import Agency

__all__ = ["AGENCY", "OPERATOR", "REGIONS", "SHARE", "chargers_for", "notices_for", "offices"]

SHARE = 1 / 25
OPERATOR = "PEA VOLTA"
CHARGERS_PER_AREA = (0,) * 27 + (1, 1, 2)
CAUSES = (
    "บำรุงรักษาระบบไฟฟ้า",
    "ปักเสาพาดสายแรงสูง",
    "ตัดต้นไม้ใกล้แนวสายไฟฟ้า",
    "เปลี่ยนหม้อแปลง",
    "ปรับปรุงสถานีไฟฟ้า",
)
REGIONS = {
    "A": "50 51 52 54 55 56 57 58", "B": "53 63 64 65 66 67", "C": "16 17 18 19 60 61 62",
    "D": "38 39 41 42 43 47 48", "E": "33 34 35 37 49", "F": "30 31 32 36 40 44 45 46",
    "G": "13 14 15 26", "H": "20 21 22 23 24 25 27", "I": "70 71 72 73 74 75",
    "J": "76 77 85 86", "K": "80 81 82 83 84 92 93", "L": "90 91 94 95 96",
}  # fmt: skip
_REGION_OF = {p: letter for letter, codes in REGIONS.items() for p in codes.split()}


@functools.lru_cache(maxsize=4)
def offices(data: SandboxData) -> dict[str, dict[str, Any]]:
    """Every PEA office by code, as the API answers it."""
    found = {}
    for province in data.snapshot.provinces:
        if province.code in METRO:
            continue
        for district in data.snapshot.children(province.code):
            mueang = district.name_th.startswith("เมือง")
            place = f"จังหวัด{province.name_th}" if mueang else f"อำเภอ{district.name_th}"
            code = _REGION_OF[province.code] + district.code
            found[code] = {
                "officeCode": code,
                "name": f"การไฟฟ้าส่วนภูมิภาค{place}",
                "region": _REGION_OF[province.code],
                "provinceCode": province.code,
                "districtCode": district.code,
            }
    return found


def notices_for(data: SandboxData, codes: Sequence[str], day: dt.date) -> list[dict[str, Any]]:
    """PEA's outage notices of ``day`` under any of ``codes``."""
    provinces = [p for p in _REGION_OF if p in data.snapshot.subdistricts_by_province]
    found = []
    for area in subdistricts_for(data, codes, provinces):
        office = offices(data)[_REGION_OF[area.code[:2]] + area.code[:4]]
        for outage in outages_in(data, "pea", area, day, SHARE, CAUSES):
            found.append(
                {
                    "noticeId": f"PEA-{outage.outage_id}",
                    "officeCode": office["officeCode"],
                    "officeName": office["name"],
                    "title": f"ประกาศงดจ่ายกระแสไฟฟ้า ตำบล{area.name_th}",
                    "cause": outage.reason,
                    "startTime": outage.start.isoformat(),
                    "endTime": outage.end.isoformat(),
                    "affectedAreas": [{"areaCode": area.code, "name": area.name_th}],
                }
            )
    return found


def chargers_for(data: SandboxData, codes: Sequence[str]) -> list[dict[str, Any]]:
    """PEA VOLTA chargers under any of ``codes``."""
    return [
        charger.as_json() | {"areaCode": area.code}
        for area in subdistricts_for(data, codes, list(_REGION_OF))
        for charger in chargers_in(data, "pea", area, OPERATOR, CHARGERS_PER_AREA)
    ]


def _routes(data: SandboxData) -> Sequence[web.RouteDef]:
    async def listing(request: web.Request) -> web.Response:
        region = request.query.get("region")
        found = [o for o in offices(data).values() if region is None or o["region"] == region]
        return json_response({"count": len(found), "offices": found})

    async def office_outages(request: web.Request) -> web.Response:
        office = offices(data).get(request.match_info["code"])
        if office is None:
            return json_response({"message": "office not found"}, status=404)
        notices = notices_for(data, [office["districtCode"]], bangkok_now().date())
        return json_response({"officeCode": office["officeCode"], "outages": notices})

    async def batch(request: web.Request) -> web.Response:
        return json_response(
            {"outages": notices_for(data, area_codes(request), bangkok_now().date())}
        )

    async def chargers(request: web.Request) -> web.Response:
        return json_response({"chargers": chargers_for(data, area_codes(request))})

    return [
        web.get("/api/offices", listing),
        web.get("/api/offices/{code}/outages", office_outages),
        web.get("/api/outages", batch),
        web.get("/api/ev-chargers", chargers),
    ]


AGENCY = Agency("pea", "Provincial Electricity Authority (PEA)", _routes)
