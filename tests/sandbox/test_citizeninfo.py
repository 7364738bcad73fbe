"""CITIZENinfo sandbox: ~60,000 points over every subdistrict, paged export, idempotent ratings."""

from __future__ import annotations

import math
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox import geo
from sandbox.agencies import citizeninfo
from sandbox.data import SandboxData
from sandbox.procedures import by_procedure_id
from sandbox.service_points import TARGET_POINTS, service_points
from tests.sandbox.agency_client import agency_client, check_admin_faults

POINTS = "/api/service-points"
LOCAL_OFFICES = {"municipality", "sao", "bma_centre"}


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the CITIZENinfo sandbox."""
    async with agency_client(citizeninfo.AGENCY, data) as client:
        yield client


def test_about_sixty_thousand_points(data: SandboxData) -> None:
    total = len(service_points(data).points)
    assert abs(total - TARGET_POINTS) / TARGET_POINTS < 0.02


def test_every_subdistrict_has_its_local_office_and_a_second_point(data: SandboxData) -> None:
    by_tambon = service_points(data).by_tambon
    codes = [a.code for areas in data.snapshot.subdistricts_by_province.values() for a in areas]
    assert set(by_tambon) == set(codes)
    for code in codes:
        assert len(by_tambon[code]) >= 2, code
        assert by_tambon[code][0].kind in LOCAL_OFFICES, code


def test_points_lie_near_their_subdistrict_and_cite_real_procedures(data: SandboxData) -> None:
    known = by_procedure_id()
    for point in service_points(data).points[::50]:
        centre = geo.point_for(data, point.tambon_code)
        assert math.dist((point.lat, point.lon), centre) < 0.012
        assert point.procedures
        assert all(p in known for p in point.procedures)
        assert uuid.UUID(point.point_id).version == 5


def test_generation_is_deterministic(data: SandboxData) -> None:
    copy = Snapshot.build(data.snapshot.release, data.snapshot.areas.values())
    again = service_points(SandboxData(copy, data.seed))
    assert again.points == service_points(data).points


async def test_paging_covers_every_point_exactly_once(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    seen: list[str] = []
    page, total = 1, None
    while total is None or len(seen) < total:
        body = await (await api.get(POINTS, params={"page": page, "pageSize": 5000})).json()
        assert body["page"] == page
        assert body["pageSize"] == 5000
        total = body["total"]
        assert body["items"], "a page before the end is never empty"
        seen += [item["pointId"] for item in body["items"]]
        page += 1
    assert len(seen) == len(set(seen)) == total == len(service_points(data).points)
    after = await (await api.get(POINTS, params={"page": page, "pageSize": 5000})).json()
    assert after["items"] == []


async def test_listing_by_several_tambons(api: TestClient[Any, Any], data: SandboxData) -> None:
    response = await api.get(POINTS, params={"tambonCodes": "840503,100101,999999"})
    assert response.status == 200
    body = await response.json()
    expected = [
        *service_points(data).by_tambon["840503"],
        *service_points(data).by_tambon["100101"],
    ]
    assert [i["pointId"] for i in body["items"]] == [p.point_id for p in expected]
    assert body["total"] == len(expected)
    assert {i["tambonCode"] for i in body["items"]} == {"840503", "100101"}


async def test_a_point_has_the_documented_fields(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    point = service_points(data).by_tambon["840503"][0]
    response = await api.get(f"{POINTS}/{point.point_id}")
    assert response.status == 200
    body = await response.json()
    assert body == citizeninfo.point_json(point)
    assert set(body) == {
        "pointId", "name", "orgCode", "lat", "lon", "tambonCode", "procedures", "noCopy", "satisfaction",
    }  # fmt: skip
    assert body["name"] in {"สำนักงานเทศบาลตำบลเกาะเต่า", "ที่ทำการองค์การบริหารส่วนตำบลเกาะเต่า"}
    assert isinstance(body["lat"], float)
    assert set(body["satisfaction"]) == {"score", "count"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "0"}, "page"),
        ({"pageSize": "5001"}, "pageSize"),
        ({"tambonCodes": "84"}, "tambonCodes"),
    ],
)
async def test_bad_listing_parameters_are_422(
    api: TestClient[Any, Any], query: dict[str, str], field: str
) -> None:
    response = await api.get(POINTS, params=query)
    assert response.status == 422
    assert (await response.json())["error"]["field"] == field


async def test_unknown_point_is_404(api: TestClient[Any, Any]) -> None:
    response = await api.get(f"{POINTS}/{uuid.uuid4()}")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "NOT_FOUND"
    rating = await api.post(f"{POINTS}/nope/ratings", json={"score": 5, "clientReference": "x"})
    assert rating.status == 404


async def _stored(api: TestClient[Any, Any], reference: str) -> list[dict[str, Any]]:
    listing = await (await api.get("/__admin/citizeninfo/ratings")).json()
    return [r for r in listing["ratings"] if r["clientReference"] == reference]


async def test_rating_is_stored_once_per_client_reference(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    point = service_points(data).by_tambon["100101"][1]
    rating = {"score": 4, "comment": "บริการรวดเร็ว", "clientReference": "visit-0001"}
    first = await api.post(f"{POINTS}/{point.point_id}/ratings", json=rating)
    second = await api.post(f"{POINTS}/{point.point_id}/ratings", json=rating)
    assert (first.status, second.status) == (201, 201)
    assert await first.json() == await second.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert (await first.json())["score"] == 4
    assert len(await _stored(api, "visit-0001")) == 1
    now = await (await api.get(f"{POINTS}/{point.point_id}")).json()
    assert now["satisfaction"]["count"] == point.count + 1


async def test_reusing_a_reference_for_another_rating_is_409(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    point = service_points(data).by_tambon["100101"][2]
    path = f"{POINTS}/{point.point_id}/ratings"
    assert (await api.post(path, json={"score": 2, "clientReference": "visit-0002"})).status == 201
    again = await api.post(path, json={"score": 5, "clientReference": "visit-0002"})
    assert again.status == 409
    assert len(await _stored(api, "visit-0002")) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 0, "clientReference": "r"}, "score"),
        ({"score": 6, "clientReference": "r"}, "score"),
        ({"score": "5", "clientReference": "r"}, "score"),
        ({"score": True, "clientReference": "r"}, "score"),
        ({"score": 3}, "clientReference"),
        ({"score": 3, "comment": 7, "clientReference": "r"}, "comment"),
    ],
)
async def test_bad_ratings_are_422_and_not_stored(
    api: TestClient[Any, Any], data: SandboxData, body: dict[str, Any], field: str
) -> None:
    point = service_points(data).points[0]
    response = await api.post(f"{POINTS}/{point.point_id}/ratings", json=body)
    assert response.status == 422
    assert (await response.json())["error"]["field"] == field
    assert await _stored(api, "r") == []


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "citizeninfo", f"{POINTS}?tambonCodes=840503")
