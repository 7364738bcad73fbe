"""PWA sandbox: about 234 branches in 10 regions, the branch serving an area, outage notices."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import pwa
from sandbox.agencies._thai_time import bangkok_now
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the PWA sandbox."""
    async with agency_client(pwa.AGENCY, data) as client:
        yield client


async def test_about_234_branches_in_10_regions_cover_every_district_outside_the_metro(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    body = await (await api.get("/api/branches")).json()
    assert 225 <= body["count"] == len(body["branches"]) <= 245
    assert {b["region"] for b in body["branches"]} == set(range(1, 11))
    codes = [b["branchCode"] for b in body["branches"]]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 7 and c.isdigit() and c[0] == "5" for c in codes)
    served = [d for b in body["branches"] for d in b["districtCodes"]]
    outside = [
        d.code for p in data.snapshot.provinces if p.code not in {"10", "11", "12"}
        for d in data.snapshot.children(p.code)
    ]  # fmt: skip
    assert sorted(served) == sorted(outside)
    region4 = await (await api.get("/api/branches?region=4")).json()
    assert {b["provinceCode"] for b in region4["branches"]} == set(pwa.REGIONS[4].split())


async def test_the_branch_serving_a_subdistrict(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    response = await api.get("/api/branches/by-area/840503")
    assert response.status == 200
    branch = await response.json()
    assert set(branch) == {"branchCode", "name", "region", "provinceCode", "districtCodes"}
    assert "8405" in branch["districtCodes"]
    assert branch["branchCode"].startswith("5484")
    assert branch["name"].startswith("การประปาส่วนภูมิภาคสาขา")
    same = await (await api.get(f"/api/branches/{branch['branchCode']}")).json()
    assert same == branch


@pytest.mark.parametrize(
    "path",
    [
        "/api/branches/by-area/100101",
        "/api/branches/by-area/999999",
        "/api/branches/5999999",
        "/api/branches/5999999/outages",
    ],
)
async def test_unknown_branches_and_metro_areas_are_404(
    api: TestClient[Any, Any], path: str
) -> None:
    response = await api.get(path)
    assert response.status == 404
    assert "message" in await response.json()


async def test_branch_outages_are_the_notices_of_its_districts(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    day = bangkok_now().date()
    branch = next(b for b in pwa.branches(data) if pwa.notices_for(data, b.district_codes, day))
    body = await (await api.get(f"/api/branches/{branch.code}/outages")).json()
    assert body["branchCode"] == branch.code
    assert body["outages"] == pwa.notices_for(
        SandboxData(data.snapshot), branch.district_codes, day
    )
    for notice in body["outages"]:
        assert notice["branchCode"] == branch.code
        assert notice["startAt"] < notice["endAt"]
        assert notice["startAt"].endswith("+07:00")
        assert all(a["tambonCode"][:4] in branch.district_codes for a in notice["affectedAreas"])


async def test_a_batch_of_areas_answers_their_notices_together(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    day = bangkok_now().date()
    codes = ["30", "40", "5001"]
    body = await (await api.get("/api/outages", params={"tambonCode": ",".join(codes)})).json()
    assert body["outages"] == pwa.notices_for(data, codes, day)
    assert body["outages"]  # about 20 expected over these ~600 subdistricts on any day
    split = [n for c in codes for n in pwa.notices_for(data, [c], day)]
    assert sorted(n["noticeId"] for n in split) == sorted(n["noticeId"] for n in body["outages"])
    assert (await api.get("/api/outages")).status == 400


def test_about_one_subdistrict_in_30_has_an_outage_each_day(data: SandboxData) -> None:
    notices = pwa.notices_for(data, [p.code for p in data.snapshot.provinces], bangkok_now().date())
    areas = {a["tambonCode"] for n in notices for a in n["affectedAreas"]}
    assert 0.015 <= len(areas) / 7_000 <= 0.06
    assert not any(code[:2] in {"10", "11", "12"} for code in areas)


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "pwa", "/api/branches")
