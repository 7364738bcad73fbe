"""1567 complaint sandbox: intake idempotent on clientReference, tracking numbers, status history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import complaints_1567
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults

ADMIN = "/__admin/complaints_1567/complaints"


@pytest.fixture(scope="module")
async def api(snapshot: Snapshot) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the 1567 sandbox."""
    async with agency_client(complaints_1567.AGENCY, SandboxData(snapshot)) as client:
        yield client


def _complaint(reference: str, **changes: Any) -> dict[str, Any]:
    body = {
        "category": "ความเดือดร้อนทั่วไป",
        "subject": "ไฟฟ้าส่องสว่างในซอยดับ",
        "detail": "ไฟถนนในซอย 5 ดับมาสองสัปดาห์",
        "areaCode": "840503",
        "contact": {"name": "สมชาย ใจดี", "phone": "0812345678"},
        "clientReference": reference,
    }
    return body | changes


def test_tracking_numbers_use_the_buddhist_era_year() -> None:
    received = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    assert complaints_1567.tracking_number(received, 123) == "1567-2568-000123"


async def test_a_complaint_is_received_once_per_client_reference(api: TestClient[Any, Any]) -> None:
    before = (await (await api.get(ADMIN)).json())["count"]
    first = await api.post("/complaints", json=_complaint("app-42-0001"))
    second = await api.post("/complaints", json=_complaint("app-42-0001"))
    assert (first.status, second.status) == (201, 201)
    answer = await first.json()
    assert answer == await second.json()
    assert set(answer) == {"trackingNumber", "status", "receivedAt"}
    assert re.fullmatch(r"1567-25\d\d-\d{6}", answer["trackingNumber"])
    assert answer["status"] == "RECEIVED"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert (await (await api.get(ADMIN)).json())["count"] == before + 1


async def test_sequence_numbers_follow_the_order_of_receipt(api: TestClient[Any, Any]) -> None:
    numbers = [
        (await (await api.post("/complaints", json=_complaint(f"seq-{n}"))).json())[
            "trackingNumber"
        ]
        for n in range(3)
    ]
    sequences = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert sequences == [sequences[0], sequences[0] + 1, sequences[0] + 2]


async def test_reusing_a_reference_for_another_complaint_is_409(api: TestClient[Any, Any]) -> None:
    assert (await api.post("/complaints", json=_complaint("app-42-0002"))).status == 201
    other = await api.post("/complaints", json=_complaint("app-42-0002", subject="เรื่องอื่น"))
    assert other.status == 409


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"subject": ""}, ["subject"]),
        ({"category": "ไม่มีประเภทนี้"}, ["category"]),
        ({"areaCode": "999999"}, ["areaCode"]),
        ({"areaCode": ["84"]}, ["areaCode"]),
        ({"contact": {"name": "สมชาย"}}, ["contact"]),
        ({"detail": None, "contact": None}, ["detail", "contact"]),
    ],
)
async def test_missing_or_invalid_fields_are_422_and_not_stored(
    api: TestClient[Any, Any], changes: dict[str, Any], fields: list[str]
) -> None:
    before = (await (await api.get(ADMIN)).json())["count"]
    response = await api.post("/complaints", json=_complaint("bad-1", **changes))
    assert response.status == 422
    assert (await response.json())["error"]["fields"] == fields
    assert (await (await api.get(ADMIN)).json())["count"] == before


async def test_status_and_history_without_the_contact(api: TestClient[Any, Any]) -> None:
    created = await (await api.post("/complaints", json=_complaint("app-42-0003"))).json()
    number = created["trackingNumber"]
    moved = await api.post(
        f"{ADMIN}/{number}/status", json={"status": "FORWARDED", "note": "ส่งเทศบาล"}
    )
    assert moved.status == 200
    body = await (await api.get(f"/complaints/{number}")).json()
    assert body["status"] == "FORWARDED"
    assert [h["status"] for h in body["history"]] == ["RECEIVED", "FORWARDED"]
    assert body["history"][0]["note"] == "รับเรื่องโดยศูนย์ดำรงธรรมจังหวัดสุราษฎร์ธานี"
    assert body["history"][1]["statusText"] == "ส่งต่อหน่วยงานที่เกี่ยวข้อง"
    assert "contact" not in body


async def test_unknown_tracking_number_is_404(api: TestClient[Any, Any]) -> None:
    response = await api.get("/complaints/1567-2568-999999")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "NOT_FOUND"


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    created = await (await api.post("/complaints", json=_complaint("app-42-0004"))).json()
    await check_admin_faults(api, "complaints_1567", f"/complaints/{created['trackingNumber']}")
