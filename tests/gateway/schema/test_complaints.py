"""Complaints through the real app, its outbox worker and the sandbox 1567: filed, acknowledged
after commit, delivered in the background (also after 1567 comes back), one per key."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.settings import Settings
from sandbox.server import Sandbox

FILE = """mutation ($input: FileComplaintInput!) {
  fileComplaint(input: $input) {
    trackingNumber replayed
    complaint { status centre { provinceCode name } history { status note } }
  }
}"""
SHOW = """query ($n: String!) {
  complaint(trackingNumber: $n) {
    trackingNumber status category subject areaCode agencyTrackingNumber
    area { code nameTh } centre { name } history { status note at }
    atAgency { trackingNumber status history { status } source }
  }
}"""


@pytest.fixture(scope="module")
async def app(settings_factory: Callable[..., Settings]) -> AsyncIterator[Starlette]:
    """An app of its own whose outbox looks often and backs off briefly."""
    settings = settings_factory(
        outbox_poll_seconds=0.05, outbox_backoff_seconds=0.05, outbox_backoff_max_seconds=0.2
    )
    made = create_app(settings)
    async with made.router.lifespan_context(made):
        yield made


@pytest.fixture(scope="module")
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client of that app."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as c:
        yield c


def sandbox_of(app: Starlette) -> Sandbox:
    found: Sandbox = app.state.resources.agencies.sandbox
    return found


def complaint(**change: Any) -> dict[str, Any]:
    return {
        "category": "GENERAL_GRIEVANCE",
        "subject": "ไฟถนนดับ",
        "detail": "ไฟถนนในซอยดับทั้งซอยมาหนึ่งสัปดาห์",
        "areaCode": "840503",
        "contact": {"name": "สมหญิง ใจดี", "email": "somying@example.org"},
        "idempotencyKey": f"test-{uuid.uuid4().hex}",
        **change,
    }


async def ask(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def delivered(client: httpx.AsyncClient, number: str) -> dict[str, Any]:
    for _ in range(200):
        found = (await ask(client, SHOW, n=number))["data"]["complaint"]
        if found["status"] != "ACCEPTED":
            return found  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)
    raise AssertionError(f"{number} was not delivered")


async def test_a_complaint_is_filed_then_delivered(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    receipt = (await ask(client, FILE, input=complaint()))["data"]["fileComplaint"]
    assert receipt["replayed"] is False
    assert receipt["trackingNumber"].startswith("MOI-25")
    assert receipt["complaint"]["centre"] == {
        "provinceCode": "84",
        "name": "ศูนย์ดำรงธรรมจังหวัดสุราษฎร์ธานี",
    }
    found = await delivered(client, receipt["trackingNumber"])
    assert found["status"] == "DELIVERED"
    assert found["agencyTrackingNumber"].startswith("1567-")
    assert [e["status"] for e in found["history"]] == ["ACCEPTED", "DELIVERED"]
    assert found["area"]["code"] == "840503"
    assert found["atAgency"]["trackingNumber"] == found["agencyTrackingNumber"]
    assert found["atAgency"]["status"] == "RECEIVED"
    stored = [
        r
        for r in await _agency_complaints(app)
        if r["trackingNumber"] == found["agencyTrackingNumber"]
    ]
    assert len(stored) == 1
    assert stored[0]["contact"] == {"name": "สมหญิง ใจดี", "email": "somying@example.org"}
    assert stored[0]["category"] == "ความเดือดร้อนทั่วไป"


async def test_the_same_key_gives_the_same_receipt_and_one_complaint(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    body = complaint()
    answers = await asyncio.gather(*(ask(client, FILE, input=body) for _ in range(5)))
    numbers = {a["data"]["fileComplaint"]["trackingNumber"] for a in answers}
    assert len(numbers) == 1
    assert sum(not a["data"]["fileComplaint"]["replayed"] for a in answers) == 1
    (number,) = numbers
    found = await delivered(client, number)
    again = (await ask(client, FILE, input=body))["data"]["fileComplaint"]
    assert (again["trackingNumber"], again["replayed"]) == (number, True)
    agency = [
        r
        for r in await _agency_complaints(app)
        if r["trackingNumber"] == found["agencyTrackingNumber"]
    ]
    assert len(agency) == 1
    other = await ask(client, FILE, input={**body, "subject": "เรื่องอื่น"})
    assert other["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "idempotencyKey",
    }


async def test_while_1567_is_down_complaints_wait_and_are_delivered_later(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    sandbox = sandbox_of(app)
    sandbox.state.set_faults("complaints_1567", {"down": True})
    try:
        receipt = (await ask(client, FILE, input=complaint()))["data"]["fileComplaint"]
        await asyncio.sleep(0.3)
        waiting = (await ask(client, SHOW, n=receipt["trackingNumber"]))["data"]["complaint"]
        assert waiting["status"] == "ACCEPTED"
        assert waiting["atAgency"] is None
    finally:
        sandbox.state.set_faults("complaints_1567", {"down": False})
    assert (await delivered(client, receipt["trackingNumber"]))["status"] == "DELIVERED"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"areaCode": "99"}, "BAD_USER_INPUT"),
        ({"areaCode": "8405x"}, "BAD_AREA_CODE"),
        ({"contact": {"name": "ก"}}, "BAD_USER_INPUT"),
        ({"category": "NOT_A_CATEGORY"}, "BAD_USER_INPUT"),
    ],
)
async def test_invalid_complaints_are_refused(
    client: httpx.AsyncClient, change: dict[str, Any], code: str
) -> None:
    found = await ask(client, FILE, input=complaint(**change))
    assert found.get("data") is None  # absent when the variables do not coerce
    assert found["errors"][0]["extensions"]["code"] == code


async def test_an_unknown_tracking_number_is_null(client: httpx.AsyncClient) -> None:
    assert (await ask(client, SHOW, n="MOI-2568-NOTANUMBER"))["data"] == {"complaint": None}


async def _agency_complaints(app: Starlette) -> list[dict[str, Any]]:
    url = sandbox_of(app).urls["complaints_1567"] + "/__admin/complaints_1567/complaints"
    async with httpx.AsyncClient() as plain:
        listing: list[dict[str, Any]] = (await plain.get(url)).json()["complaints"]
    return listing
