"""Metropolitan Electricity Authority (MEA): power outages and EV chargers, as the sandbox serves it.

Contract: MEA publishes open data through CKAN [known]; outages and EV chargers [assumed]:

- ``GET /api/outages?areaCode=a&areaCode=b`` (or ``areaCode=a,b``; up to 100 DOPA codes of any
  level) -> ``{"outages": [outage]}``, every outage touching a subdistrict under any of the codes,
  once; an outage is ``{outageId, type ("planned" | "unplanned"), title, cause, startTime,
  endTime, areas[{areaCode, name}]}`` with ISO 8601 times (``+07:00``), so a batching client
  splits the answer by ``areas``;
- ``GET /api/ev-chargers?areaCode=...`` (same batching) -> ``{"chargers": [charger]}``,
  OCPI-like ``{id, name, lat, lon, connectors[{type, powerKw, status}], operator}`` plus
  ``areaCode`` (the subdistrict), statuses as OCPI's (``AVAILABLE``, ``CHARGING``,
  ``OUTOFORDER``);
- only Bangkok (10), Samut Prakan (11) and Nonthaburi (12): other codes answer nothing; no codes
  or a malformed one is 400.

About one metro subdistrict in 12 has an outage each day (``data.rng("mea", code, day)``);
chargers are fixed per subdistrict (``data.rng("mea", code, "ev")``), 0-3 each.
"""

from __future__ import annotations

import datetime as dt
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

__all__ = ["AGENCY", "OPERATOR", "SHARE", "chargers_for", "outages_for"]

SHARE = 1 / 12
OPERATOR = "MEA EV"
CHARGERS_PER_AREA = (0, 0, 1, 1, 2, 3)
CAUSES = ("บำรุงรักษาระบบจำหน่าย", "ปรับปรุงสายป้อน", "ย้ายเสาไฟฟ้า", "ต้นไม้พาดสายไฟฟ้า", "อุปกรณ์ขัดข้อง")


def outages_for(data: SandboxData, codes: Sequence[str], day: dt.date) -> list[dict[str, Any]]:
    """MEA's outages of ``day`` under any of ``codes``."""
    found = []
    for area in subdistricts_for(data, codes, METRO):
        for outage in outages_in(data, "mea", area, day, SHARE, CAUSES):
            found.append(
                {
                    "outageId": f"MEA-{outage.outage_id}",
                    "type": "planned" if outage.planned else "unplanned",
                    "title": f"ประกาศดับไฟ {area.name_th}",
                    "cause": outage.reason,
                    "startTime": outage.start.isoformat(),
                    "endTime": outage.end.isoformat(),
                    "areas": [{"areaCode": area.code, "name": area.name_th}],
                }
            )
    return found


def chargers_for(data: SandboxData, codes: Sequence[str]) -> list[dict[str, Any]]:
    """MEA EV chargers under any of ``codes``."""
    return [
        charger.as_json() | {"areaCode": area.code}
        for area in subdistricts_for(data, codes, METRO)
        for charger in chargers_in(data, "mea", area, OPERATOR, CHARGERS_PER_AREA)
    ]


def _routes(data: SandboxData) -> Sequence[web.RouteDef]:
    async def outages(request: web.Request) -> web.Response:
        found = outages_for(data, area_codes(request), bangkok_now().date())
        return json_response({"outages": found})

    async def chargers(request: web.Request) -> web.Response:
        return json_response({"chargers": chargers_for(data, area_codes(request))})

    return [web.get("/api/outages", outages), web.get("/api/ev-chargers", chargers)]


AGENCY = Agency("mea", "Metropolitan Electricity Authority (MEA)", _routes)
