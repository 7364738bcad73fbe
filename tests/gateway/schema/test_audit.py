"""``auditRecords``: internal callers read the newest records; anyone else is refused."""

from __future__ import annotations

import uuid

import httpx
from starlette.applications import Starlette

from gateway.access import Tier
from tests.conftest import key_headers

RECENT = "{ auditRecords(last: 50) { requestId tier rootFields areaCodes status hash prevHash } }"


async def test_internal_callers_read_the_newest_records(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    request_id = f"audited-{uuid.uuid4().hex[:8]}"
    await client.post(
        "/graphql",
        json={"query": '{ district(code: "8405") { nameTh } }'},
        headers={"X-Request-Id": request_id},
    )
    headers = await key_headers(gateway_app, Tier.INTERNAL)
    answer = await client.post("/graphql", json={"query": RECENT}, headers=headers)
    records = answer.json()["data"]["auditRecords"]
    mine = next(r for r in records if r["requestId"] == request_id)
    assert mine["tier"] == "public"
    assert (mine["rootFields"], mine["areaCodes"], mine["status"]) == (["district"], ["8405"], 200)
    assert len(mine["hash"]) == len(mine["prevHash"]) == 64


async def test_others_are_refused(gateway_app: Starlette, client: httpx.AsyncClient) -> None:
    headers = await key_headers(gateway_app, Tier.PARTNER)
    for sent in ({}, headers):
        answer = await client.post("/graphql", json={"query": RECENT}, headers=sent)
        body = answer.json()
        assert body["data"]["auditRecords"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_count_out_of_range_is_bad_user_input(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    headers = await key_headers(gateway_app, Tier.INTERNAL)
    answer = await client.post(
        "/graphql", json={"query": "{ auditRecords(last: 0) { hash } }"}, headers=headers
    )
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
