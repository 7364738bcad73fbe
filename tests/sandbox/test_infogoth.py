"""info.go.th sandbox: procedures and citizen guides, PascalCase, null for an unknown id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import infogoth
from sandbox.data import SandboxData
from sandbox.offices import KINDS
from sandbox.procedures import catalogue, procedure_ids_for_kind
from tests.sandbox.agency_client import agency_client, check_admin_faults

GUIDE = "/Api/CitizenGuide/a/GetCitizenGuide"


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the info.go.th sandbox."""
    async with agency_client(infogoth.AGENCY, data) as client:
        yield client


def _find(title: str, kind: str) -> Any:
    return next(p for p in catalogue() if p.title == title and p.kind.key == kind)


def test_the_catalogue_holds_a_few_hundred_procedures_with_unique_ids() -> None:
    procedures = catalogue()
    assert len(procedures) >= 200
    assert len({p.procedure_id for p in procedures}) == len(procedures)
    assert len({p.citizen_guide_id for p in procedures}) == len(procedures)
    assert {"การแจ้งเกิด กรณีเกิดในบ้าน", "การจดทะเบียนพาณิชย์ ตั้งใหม่ บุคคลธรรมดา"} <= {
        p.title for p in procedures
    }


async def test_procedure_detail_names_its_citizen_guide(api: TestClient[Any, Any]) -> None:
    birth = _find("การแจ้งเกิด กรณีเกิดในบ้าน", "district_office")
    response = await api.get(f"/Api/Procedure/a/GetProcedureDetailV2/{birth.procedure_id}")
    assert response.status == 200
    body = await response.json()
    assert body == {
        "ProcedureID": birth.procedure_id,
        "ProcedureName": "การแจ้งเกิด กรณีเกิดในบ้าน",
        "Category": "ทะเบียนราษฎร",
        "OrganizationName": "กรมการปกครอง",
        "CitizenGuides": [{"CitizenGuideID": birth.citizen_guide_id, "Title": birth.title}],
    }


async def test_guide_detail_agrees_with_the_pure_function(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    guide = _find("การขออนุญาตก่อสร้างอาคาร การก่อสร้าง", "sao").citizen_guide_id
    path = f"/Api/CitizenGuide/a/GetCitizenGuideDetail/{guide}?orgCode=6840503"
    first, second = [await (await api.get(path)).json() for _ in range(2)]
    assert first == second == infogoth.guide_detail(data, guide, "6840503")
    assert first["OrgCode"] == "6840503"
    assert first["ProcessingTimeUnit"] == "วัน"
    assert isinstance(first["NoCopy"], bool)


@pytest.mark.parametrize("part", ["Boundaries", "Steps", "Documents", "Fees", "Complains"])
async def test_every_guide_list_answers_a_non_empty_array(
    api: TestClient[Any, Any], data: SandboxData, part: str
) -> None:
    guide = catalogue()[0].citizen_guide_id
    response = await api.get(f"{GUIDE}{part}ByCitizenGuideID/{guide}")
    assert response.status == 200
    body = await response.json()
    assert isinstance(body, list)
    assert body


async def test_documents_tell_whether_a_photocopy_is_asked_for(api: TestClient[Any, Any]) -> None:
    seen = set()
    for procedure in catalogue()[:40]:
        path = f"{GUIDE}DocumentsByCitizenGuideID/{procedure.citizen_guide_id}"
        for document in await (await api.get(path)).json():
            assert document["CopyCount"] == (0 if document["NoCopy"] else 1)
            assert document["DocumentName"]
            seen.add(document["NoCopy"])
    assert seen == {True, False}  # some guides still ask for copies


async def test_id_card_fees_follow_the_law(api: TestClient[Any, Any]) -> None:
    expired = _find("การทำบัตรประจำตัวประชาชน กรณีบัตรหมดอายุ", "district_office")
    lost = _find("การทำบัตรประจำตัวประชาชน กรณีบัตรหายหรือถูกทำลาย", "district_office")
    fees = [
        (await (await api.get(f"{GUIDE}FeesByCitizenGuideID/{p.citizen_guide_id}")).json())[0]
        for p in (expired, lost)
    ]
    assert [f["Amount"] for f in fees] == [0, 100]
    assert fees[0]["FeeDescription"] == "ไม่เสียค่าธรรมเนียม"


async def test_steps_are_numbered_in_order(api: TestClient[Any, Any]) -> None:
    guide = _find("การขอรังวัด สอบเขตโฉนดที่ดิน", "land_office").citizen_guide_id
    steps = await (await api.get(f"{GUIDE}StepsByCitizenGuideID/{guide}")).json()
    assert [s["StepNo"] for s in steps] == [1, 2, 3, 4]
    assert all(s["DurationUnit"] == "วัน" and s["Duration"] >= 1 for s in steps)


async def test_unknown_ids_answer_null_or_empty_and_bad_ids_400(api: TestClient[Any, Any]) -> None:
    assert await (await api.get("/Api/Procedure/a/GetProcedureDetailV2/999999")).json() is None
    assert await (await api.get("/Api/CitizenGuide/a/GetCitizenGuideDetail/1")).json() is None
    assert await (await api.get(f"{GUIDE}StepsByCitizenGuideID/1")).json() == []
    bad = await api.get("/Api/Procedure/a/GetProcedureDetailV2/abc")
    assert bad.status == 400
    assert await bad.json() == {"Message": "The request is invalid."}


def test_every_office_kind_serves_some_procedure() -> None:
    assert all(procedure_ids_for_kind(kind) for kind in KINDS)


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "infogoth", "/Api/Procedure/a/GetProcedureDetailV2/1001")
