"""MWA sandbox: water outages near a point, nearest first, coordinates as strings, metro only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox import geo
from sandbox.agencies import mwa
from sandbox.agencies._thai_time import bangkok_now
from sandbox.agencies._utility import distance_km
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults

FIELDS = {"areaName", "startDate", "endDate", "soi", "reason", "impactBranches", "polygons"}


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the MWA sandbox."""
    async with agency_client(mwa.AGENCY, data) as client:
        yield client


def _path(lat: float, lon: float) -> str:
    return f"/api/mobile/no-water-running-area/latitude/{lat}/longitude/{lon}"


def _centre(item: dict[str, Any]) -> tuple[float, float]:
    ring = item["polygons"][0]["coordinates"][:-1]
    return (
        sum(float(p["latitude"]) for p in ring) / len(ring),
        sum(float(p["longitude"]) for p in ring) / len(ring),
    )


async def test_a_point_at_an_outage_gets_it_first_then_the_others_by_distance(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    outage = mwa.outages_for_day(data, bangkok_now().date())[0]
    response = await api.get(_path(outage.lat, outage.lon))
    assert response.status == 200
    items = await response.json()
    assert items
    assert items[0]["areaName"].split()[0].endswith(outage.area.name_th)
    distances = [distance_km(outage.lat, outage.lon, *_centre(i)) for i in items]
    assert distances == sorted(distances)
    assert distances[-1] <= mwa.RADIUS_KM + 0.5
    for item in items:
        assert set(item) == FIELDS
        assert item["startDate"] < item["endDate"]
        assert all(b.startswith("สาขา") for b in item["impactBranches"])
        ring = item["polygons"][0]["coordinates"]
        assert ring[0] == ring[-1]
        assert all(isinstance(p["latitude"], str) and isinstance(p["longitude"], str) for p in ring)


async def test_the_http_answer_is_the_pure_functions_answer(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    lat, lon = geo.point_for(data, "100101")
    first = await (await api.get(_path(lat, lon))).json()
    assert first == mwa.answer(SandboxData(data.snapshot), lat, lon, bangkok_now().date())
    assert first == await (await api.get(_path(lat, lon))).json()


async def test_outside_the_mwa_area_the_answer_is_empty(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    lat, lon = geo.point_for(data, "500101")  # Chiang Mai
    assert not mwa.in_service_area(data, lat, lon)
    response = await api.get(_path(lat, lon))
    assert response.status == 200
    assert await response.json() == []
    nonthaburi = geo.point_for(data, "120101")
    assert mwa.in_service_area(data, *nonthaburi)


def test_about_one_metro_subdistrict_in_eight_has_outages_each_day(data: SandboxData) -> None:
    day = bangkok_now().date()
    outages = mwa.outages_for_day(data, day)
    metro = sum(len(data.snapshot.subdistricts_by_province[p]) for p in ("10", "11", "12"))
    share = len({o.area.code for o in outages}) / metro
    assert 0.05 <= share <= 0.22
    assert {o.area.code[:2] for o in outages} <= {"10", "11", "12"}


@pytest.mark.parametrize(
    "path", [_path(13.7, 100.5).replace("13.7", "north"), _path(float("nan"), 100.5)]
)
async def test_a_malformed_coordinate_is_400(api: TestClient[Any, Any], path: str) -> None:
    assert (await api.get(path)).status == 400


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "mwa", _path(13.75, 100.5))
