"""The water and electricity connectors: mapping tables, and the clients against the sandbox."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from starlette.applications import Starlette

from gateway.connectors import mea, mwa, pea, pwa
from gateway.connectors.messages import UpstreamResponse
from gateway.connectors.utility_types import BANGKOK, ChargerConnector, UtilityOutage
from gateway.errors import UpstreamBadResponse
from sandbox import geo
from sandbox.agencies import mea as sandbox_mea
from sandbox.agencies import mwa as sandbox_mwa
from sandbox.agencies._thai_time import bangkok_now
from sandbox.server import Sandbox

START = dt.datetime(2025, 12, 10, 22, 0, tzinfo=BANGKOK)
END = dt.datetime(2025, 12, 11, 4, 0, tzinfo=BANGKOK)


def _response(value: Any, status: int = 200) -> UpstreamResponse:
    body = json.dumps(value, ensure_ascii=False).encode()
    return UpstreamResponse.build("x", status, body, {"Content-Type": "application/json"})


MEA_OUTAGE = {
    "outageId": "MEA-1", "type": "unplanned", "title": "ประกาศดับไฟ สวนใหญ่", "cause": "อุปกรณ์ขัดข้อง",
    "startTime": "2025-12-10T22:00:00+07:00", "endTime": "2025-12-11T04:00:00+07:00",
    "areas": [{"areaCode": "120101", "name": "สวนใหญ่"}],
}  # fmt: skip
PEA_NOTICE = {
    "noticeId": "PEA-1", "officeCode": "A5001", "officeName": "การไฟฟ้าส่วนภูมิภาคจังหวัดเชียงใหม่",
    "title": "ประกาศงดจ่ายกระแสไฟฟ้า ตำบลศรีภูมิ", "cause": "เปลี่ยนหม้อแปลง",
    "startTime": "2025-12-10T22:00:00+07:00", "endTime": "2025-12-11T04:00:00+07:00",
    "affectedAreas": [{"areaCode": "500101", "name": "ศรีภูมิ"}],
}  # fmt: skip
PWA_NOTICE = {
    "noticeId": "PWA-5950001-1", "branchCode": "5950001", "title": "ประกาศงดจ่ายน้ำประปา ตำบลศรีภูมิ",
    "reason": "ซ่อมท่อเมนแตก", "planned": True,
    "startAt": "2025-12-10T22:00:00+07:00", "endAt": "2025-12-11T04:00:00+07:00",
    "affectedAreas": [{"tambonCode": "500101", "name": "ศรีภูมิ"}],
}  # fmt: skip
MWA_ITEM = {
    "areaName": "ตำบลสวนใหญ่ เมืองนนทบุรี", "startDate": "2025-12-10T22:00:00",
    "endDate": "2025-12-11T04:00:00", "soi": "ถนนประชาอุทิศ ซอย 2", "reason": "เชื่อมประสานท่อประปา",
    "impactBranches": ["สาขานนทบุรี"], "polygons": [],
}  # fmt: skip


@pytest.mark.parametrize(
    ("mapped", "expected"),
    [
        (
            mea.map_outage(MEA_OUTAGE),
            UtilityOutage("MEA-1", "ประกาศดับไฟ สวนใหญ่", "อุปกรณ์ขัดข้อง", False, START, END,
                          ("120101",), ("สวนใหญ่",)),
        ),
        (
            mea.map_outage(MEA_OUTAGE | {"type": "planned"}),
            UtilityOutage("MEA-1", "ประกาศดับไฟ สวนใหญ่", "อุปกรณ์ขัดข้อง", True, START, END,
                          ("120101",), ("สวนใหญ่",)),
        ),
        (
            pea.map_notice(PEA_NOTICE),
            UtilityOutage("PEA-1", "ประกาศงดจ่ายกระแสไฟฟ้า ตำบลศรีภูมิ", "เปลี่ยนหม้อแปลง", None,
                          START, END, ("500101",), ("ศรีภูมิ",)),
        ),
        (
            pwa.map_notice(PWA_NOTICE),
            UtilityOutage("PWA-5950001-1", "ประกาศงดจ่ายน้ำประปา ตำบลศรีภูมิ", "ซ่อมท่อเมนแตก", True,
                          START, END, ("500101",), ("ศรีภูมิ",)),
        ),
        (
            mwa.map_item(MWA_ITEM),
            UtilityOutage("MWA-202512102200-ตำบลสวนใหญ่ เมืองนนทบุรี",
                          "ตำบลสวนใหญ่ เมืองนนทบุรี ถนนประชาอุทิศ ซอย 2", "เชื่อมประสานท่อประปา",
                          None, START, END, (), ("ตำบลสวนใหญ่ เมืองนนทบุรี",)),
        ),
    ],
)  # fmt: skip
def test_outages_map_to_ours(mapped: UtilityOutage, expected: UtilityOutage) -> None:
    assert mapped == expected


@pytest.mark.parametrize(
    ("parse", "payload"),
    [
        (mea.map_outages, {"outages": [MEA_OUTAGE | {"type": "maybe"}]}),
        (mea.map_outages, {"outages": [{k: v for k, v in MEA_OUTAGE.items() if k != "areas"}]}),
        (pea.map_notices, {"outages": [PEA_NOTICE | {"startTime": "10/12/2568"}]}),
        (pwa.map_notices, {"notices": []}),
        (mwa.map_outages, {"areaName": "not an array"}),
        (mea.map_chargers, {"chargers": [{"id": "x"}]}),
    ],
)
def test_unexpected_payloads_fail_to_map(parse: Any, payload: Any) -> None:
    with pytest.raises((LookupError, ValueError, TypeError, UpstreamBadResponse)):
        parse(_response(payload))


def test_a_charger_maps_with_its_plugs() -> None:
    item = {
        "id": "PEA-EV-500101-01", "name": "PEA VOLTA ศรีภูมิ 1", "lat": 18.79, "lon": 98.98,
        "connectors": [{"type": "CCS2", "powerKw": 120, "status": "AVAILABLE"}],
        "operator": "PEA VOLTA", "areaCode": "500101",
    }  # fmt: skip
    [charger] = pea.map_chargers(_response({"chargers": [item]}))
    assert (charger.charger_id, charger.area_code, charger.operator) == (
        "PEA-EV-500101-01",
        "500101",
        "PEA VOLTA",
    )
    assert charger.connectors == (ChargerConnector("CCS2", 120.0, "AVAILABLE"),)


@pytest.mark.parametrize(
    ("area_name", "names"),
    [
        ("ตำบลสวนใหญ่ เมืองนนทบุรี", True),
        ("แขวงสวนใหญ่ เมืองนนทบุรี", True),
        ("ตำบลสวนใหญ่ บางบัวทอง", False),
        ("ตำบลบางกระสอ เมืองนนทบุรี", False),
    ],
)
def test_an_mwa_notice_counts_for_the_subdistrict_it_names(area_name: str, names: bool) -> None:
    outage = mwa.map_item(MWA_ITEM | {"areaName": area_name})
    assert mwa.names_area(outage, "สวนใหญ่", "เมืองนนทบุรี") is names


def _sandbox(app: Starlette) -> Sandbox:
    sandbox: Sandbox = app.state.resources.agencies.sandbox
    return sandbox


async def test_pwa_names_the_branch_of_an_area_or_none(gateway_app: Starlette) -> None:
    client = pwa.PwaClient(gateway_app.state.resources.agencies.connectors["pwa"])
    branch = (await client.branch_for("500101")).value
    assert branch is not None
    assert "5001" in branch.district_codes
    assert branch.province_code == "50"
    assert (await client.branch_for("120101")).value is None


async def test_mwa_answers_at_a_metro_subdistricts_point(gateway_app: Starlette) -> None:
    sandbox = _sandbox(gateway_app)
    client = mwa.MwaClient(gateway_app.state.resources.agencies.connectors["mwa"])
    lat, lon = geo.point_for(sandbox.data, "100101")
    found = (await client.outages_near(lat, lon)).value
    expected = mwa_answer(sandbox, lat, lon)
    assert expected  # central Bangkok always has notices within the radius
    assert [o.area_names[0] for o in found] == [item["areaName"] for item in expected]


def mwa_answer(sandbox: Sandbox, lat: float, lon: float) -> list[dict[str, Any]]:
    """What the sandbox's MWA says today at a point (its own pure function)."""
    return sandbox_mwa.answer(sandbox.data, round(lat, 6), round(lon, 6), bangkok_now().date())


async def test_mea_answers_a_batch_split_by_area(gateway_app: Starlette) -> None:
    sandbox = _sandbox(gateway_app)
    codes = [a.code for a in sandbox.data.snapshot.subdistricts_by_province["12"]]
    client = mea.MeaClient(gateway_app.state.resources.agencies.connectors["mea"])
    chargers = (await client.chargers(codes)).value
    assert [c.charger_id for c in chargers] == [
        c["id"] for c in sandbox_mea.chargers_for(sandbox.data, codes)
    ]
    assert {c.area_code[:2] for c in chargers} == {"12"}
