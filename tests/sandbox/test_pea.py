"""PEA sandbox: one office per district outside the metro, outage notices, PEA VOLTA chargers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import pea
from sandbox.agencies._thai_time import bangkok_now
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults

METRO = {"10", "11", "12"}


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the PEA sandbox."""
    async with agency_client(pea.AGENCY, data) as client:
        yield client


async def test_one_office_per_district_outside_the_metro(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    body = await (await api.get("/api/offices")).json()
    districts = [
        d.code for p in data.snapshot.provinces if p.code not in METRO
        for d in data.snapshot.children(p.code)
    ]  # fmt: skip
    assert body["count"] == len(body["offices"]) == len(districts)
    assert sorted(o["districtCode"] for o in body["offices"]) == sorted(districts)
    assert {o["region"] for o in body["offices"]} == set("ABCDEFGHIJKL")
    surat = next(o for o in body["offices"] if o["districtCode"] == "8401")
    assert surat == {
        "officeCode": "K8401",
        "name": "การไฟฟ้าส่วนภูมิภาคจังหวัดสุราษฎร์ธานี",
        "region": "K",
        "provinceCode": "84",
        "districtCode": "8401",
    }
    south = await (await api.get("/api/offices?region=L")).json()
    assert {o["provinceCode"] for o in south["offices"]} == set(pea.REGIONS["L"].split())


async def test_an_offices_outages_and_a_batch_agree(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    day = bangkok_now().date()
    district = next(d for d in data.snapshot.children("30") if pea.notices_for(data, [d.code], day))
    office = await (await api.get(f"/api/offices/F{district.code}/outages")).json()
    assert office["outages"] == pea.notices_for(data, [district.code], day)
    batch = await (
        await api.get("/api/outages", params={"areaCode": f"{district.code},50,57"})
    ).json()
    assert {n["noticeId"] for n in office["outages"]} < {n["noticeId"] for n in batch["outages"]}
    for notice in batch["outages"]:
        assert notice["officeCode"][1:] == notice["affectedAreas"][0]["areaCode"][:4]
        assert notice["startTime"] < notice["endTime"]
    assert (await api.get("/api/offices/Z9999/outages")).status == 404


async def test_metro_areas_are_not_peas(api: TestClient[Any, Any]) -> None:
    for path in ("/api/outages", "/api/ev-chargers"):
        body = await (await api.get(path, params={"areaCode": "10,11,12"})).json()
        assert next(iter(body.values())) == []


async def test_pea_volta_chargers(api: TestClient[Any, Any], data: SandboxData) -> None:
    body = await (await api.get("/api/ev-chargers", params={"areaCode": "30"})).json()
    assert body["chargers"] == pea.chargers_for(SandboxData(data.snapshot), ["30"])
    assert 5 <= len(body["chargers"]) <= 80  # ~290 subdistricts, about one in ten with chargers
    assert {c["operator"] for c in body["chargers"]} == {"PEA VOLTA"}
    assert all(c["areaCode"].startswith("30") for c in body["chargers"])


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "pea", "/api/offices")
