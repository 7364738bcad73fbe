"""MEA sandbox: power outages and EV chargers for metro areas, several area codes per call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import mea
from sandbox.agencies._thai_time import bangkok_now
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults

OUTAGE_FIELDS = {"outageId", "type", "title", "cause", "startTime", "endTime", "areas"}
CHARGER_FIELDS = {"id", "name", "lat", "lon", "connectors", "operator", "areaCode"}


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the MEA sandbox."""
    async with agency_client(mea.AGENCY, data) as client:
        yield client


async def _get(api: TestClient[Any, Any], path: str, codes: list[str]) -> Any:
    response = await api.get(path, params=[("areaCode", c) for c in codes])
    assert response.status == 200
    return await response.json()


async def test_one_call_answers_outages_for_several_areas(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    codes = ["10", "11", "120101"]
    body = await _get(api, "/api/outages", codes)
    assert body["outages"] == mea.outages_for(data, codes, bangkok_now().date())
    one_by_one = [
        o["outageId"] for c in codes for o in (await _get(api, "/api/outages", [c]))["outages"]
    ]
    assert sorted(one_by_one) == sorted(o["outageId"] for o in body["outages"])
    assert body["outages"]  # ~280 subdistricts, about 23 with outages on any day
    for outage in body["outages"]:
        assert set(outage) == OUTAGE_FIELDS
        assert outage["type"] in {"planned", "unplanned"}
        assert outage["startTime"] < outage["endTime"]
        assert all(any(a["areaCode"].startswith(c) for c in codes) for a in outage["areas"])
    comma = await api.get("/api/outages", params={"areaCode": ",".join(codes)})
    assert await comma.json() == body


async def test_areas_outside_the_metro_have_no_mea_data(api: TestClient[Any, Any]) -> None:
    assert await _get(api, "/api/outages", ["50", "8405"]) == {"outages": []}
    assert await _get(api, "/api/ev-chargers", ["50", "8405"]) == {"chargers": []}


@pytest.mark.parametrize("query", ["", "?areaCode=1x", "?areaCode=" + ",".join(["10"] * 101)])
async def test_missing_malformed_or_too_many_codes_are_400(
    api: TestClient[Any, Any], query: str
) -> None:
    assert (await api.get(f"/api/outages{query}")).status == 400


async def test_ev_chargers_are_ocpi_like_and_deterministic(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    body = await _get(api, "/api/ev-chargers", ["1001", "1039"])
    assert body == await _get(api, "/api/ev-chargers", ["1001", "1039"])
    assert body["chargers"] == mea.chargers_for(SandboxData(data.snapshot), ["1001", "1039"])
    assert body["chargers"]
    for charger in body["chargers"]:
        assert set(charger) == CHARGER_FIELDS
        assert charger["operator"] == "MEA EV"
        assert charger["areaCode"][:4] in {"1001", "1039"}
        assert 13.4 < charger["lat"] < 14.2
        assert charger["connectors"]
        for connector in charger["connectors"]:
            assert set(connector) == {"type", "powerKw", "status"}
            assert connector["type"] in {"CCS2", "Type 2", "CHAdeMO"}
            assert connector["status"] in {"AVAILABLE", "CHARGING", "OUTOFORDER"}


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "mea", "/api/outages?areaCode=10")
