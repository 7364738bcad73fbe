"""data.go.th sandbox: CKAN package_search, package_show and datastore_search with MOI data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import ckan
from sandbox.data import SandboxData
from sandbox.open_data import DATASETS, complaint_statistics
from sandbox.service_points import service_points
from tests.sandbox.agency_client import agency_client, check_admin_faults

ACTION = "/api/3/action"
POINTS = next(d for d in DATASETS if d.name == "service-points")
CODES = next(d for d in DATASETS if d.name == "administrative-codes")


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the CKAN sandbox."""
    async with agency_client(ckan.AGENCY, data) as client:
        yield client


async def _action(api: TestClient[Any, Any], name: str, **params: Any) -> tuple[int, Any]:
    response = await api.get(f"{ACTION}/{name}", params=params)
    return response.status, await response.json()


async def test_package_search_finds_moi_datasets(api: TestClient[Any, Any]) -> None:
    status, body = await _action(api, "package_search", q="", rows=10)
    assert status == 200
    assert body["success"] is True
    assert body["result"]["count"] == len(DATASETS) >= 4
    package = body["result"]["results"][0]
    assert {
        "id",
        "name",
        "title",
        "organization",
        "notes",
        "tags",
        "metadata_modified",
        "resources",
    } <= set(package)
    assert {"url", "format", "last_modified"} <= set(package["resources"][0])
    assert package["organization"]["title"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"q": "1567"}, ["complaint-statistics-1567"]),
        ({"q": "ตำบล อำเภอ"}, ["administrative-codes"]),
        ({"fq": "organization:dla"}, ["local-government-organizations"]),
        ({"q": "", "fq": 'tags:"no copy" res_format:CSV'}, ["service-points"]),
        ({"q": "ไม่มีชุดข้อมูลนี้"}, []),
    ],
)
async def test_package_search_filters(
    api: TestClient[Any, Any], params: dict[str, str], names: list[str]
) -> None:
    _, body = await _action(api, "package_search", **params)
    assert [p["name"] for p in body["result"]["results"]] == names
    assert body["result"]["count"] == len(names)


async def test_package_search_pages_with_rows_and_start(api: TestClient[Any, Any]) -> None:
    pages = [
        (await _action(api, "package_search", rows=1, start=n))[1] for n in range(len(DATASETS))
    ]
    assert [p["result"]["results"][0]["name"] for p in pages] == [d.name for d in DATASETS]


async def test_package_show_by_name_or_id_and_404(api: TestClient[Any, Any]) -> None:
    by_name = (await _action(api, "package_show", id="service-points"))[1]["result"]
    by_id = (await _action(api, "package_show", id=POINTS.package_id))[1]["result"]
    assert by_name == by_id
    assert by_name["resources"][0]["id"] == POINTS.resource_id
    status, body = await _action(api, "package_show", id="no-such-dataset")
    assert status == 404
    assert body["success"] is False
    assert body["error"] == {"__type": "Not Found Error", "message": "Not found"}


async def test_datastore_search_pages_the_service_points(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    status, body = await _action(
        api, "datastore_search", resource_id=POINTS.resource_id, limit=2, offset=3
    )
    assert status == 200
    result = body["result"]
    assert result["total"] == len(service_points(data).points)
    assert [r["_id"] for r in result["records"]] == [4, 5]
    assert [r["point_id"] for r in result["records"]] == [
        p.point_id for p in service_points(data).points[3:5]
    ]
    assert {"id": "lat", "type": "numeric"} in result["fields"]
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    assert "offset=5" in result["_links"]["next"]


async def test_datastore_search_with_filters_and_q(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    filters = json.dumps({"tambon_code": "840503"})
    _, body = await _action(
        api, "datastore_search", resource_id=POINTS.resource_id, filters=filters
    )
    assert body["result"]["total"] == len(service_points(data).by_tambon["840503"])
    _, body = await _action(api, "datastore_search", resource_id=CODES.resource_id, q="เกาะเต่า")
    assert {r["code"] for r in body["result"]["records"]} >= {"840503", "931003"}
    filters = json.dumps({"province_code": ["10", "84"], "category": "หนี้นอกระบบ"})
    stats = next(d for d in DATASETS if d.name == "complaint-statistics-1567")
    _, body = await _action(api, "datastore_search", resource_id=stats.resource_id, filters=filters)
    expected = [
        r
        for r in complaint_statistics(data)
        if r["province_code"] in ("10", "84") and r["category"] == "หนี้นอกระบบ"
    ]
    assert body["result"]["total"] == len(expected) == 24
    assert [r["received"] for r in body["result"]["records"]] == [r["received"] for r in expected]


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({}, 409, {"__type": "Validation Error", "resource_id": ["Missing value"]}),
        (
            {"resource_id": "nope"},
            404,
            {"__type": "Not Found Error", "message": 'Resource "nope" was not found.'},
        ),
        (
            {"resource_id": "R", "filters": "{bad"},
            409,
            {"__type": "Validation Error", "filters": ["Cannot parse JSON"]},
        ),
        (
            {"resource_id": "R", "filters": '{"x": 1}'},
            409,
            {"__type": "Validation Error", "filters": ['field "x" not in resource']},
        ),
        (
            {"resource_id": "R", "limit": "ten"},
            409,
            {"__type": "Validation Error", "limit": ["Invalid integer"]},
        ),
    ],
)
async def test_datastore_errors_have_ckans_shape(
    api: TestClient[Any, Any], params: dict[str, str], status: int, error: dict[str, Any]
) -> None:
    params = {k: POINTS.resource_id if v == "R" else v for k, v in params.items()}
    got_status, body = await _action(api, "datastore_search", **params)
    assert (got_status, body["success"], body["error"]) == (status, False, error)


async def test_resource_download_is_csv_with_a_bom(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    _, body = await _action(api, "package_show", id="administrative-codes")
    url = body["result"]["resources"][0]["url"]
    response = await api.get(url.replace(str(api.make_url("")).rstrip("/"), ""))
    assert response.status == 200
    text = (await response.read()).decode("utf-8")
    assert text.startswith("\ufeffcode,level,name_th")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == len(data.snapshot.areas)


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "ckan", f"{ACTION}/package_search?q=1567")
