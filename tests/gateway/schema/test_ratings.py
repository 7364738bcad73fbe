"""rateServicePoint through the app, its outbox worker and the sandbox CITIZENinfo: one rating
and one delivery per idempotency key, and every invalid rating refused before anything is stored."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.ratings import validate
from gateway.ratings.store import RatingStore
from sandbox.server import Sandbox
from sandbox.service_points import service_points

RATE = """mutation ($input: RateServicePointInput!) {
  rateServicePoint(input: $input) {
    ratingId servicePointId score comment status receivedAt rejection replayed
  }
}"""


def sandbox_of(app: Starlette) -> Sandbox:
    found: Sandbox = app.state.resources.agencies.sandbox
    return found


def point_of(app: Starlette, number: int) -> str:
    return service_points(sandbox_of(app).data).points[number].point_id


async def rate(client: httpx.AsyncClient, **values: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": RATE, "variables": {"input": values}})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def delivered(client: httpx.AsyncClient, values: dict[str, Any]) -> dict[str, Any]:
    for _ in range(200):
        receipt: dict[str, Any] = (await rate(client, **values))["data"]["rateServicePoint"]
        if receipt["status"] != "ACCEPTED":
            return receipt
        await asyncio.sleep(0.05)
    raise AssertionError("the rating was not delivered")


async def test_the_same_key_gives_one_rating_and_one_delivery(
    client: httpx.AsyncClient, gateway_app: Starlette
) -> None:
    point = point_of(gateway_app, 31)
    values = {
        "servicePointId": point,
        "score": 4,
        "comment": " สะดวก ",
        "idempotencyKey": uuid.uuid4().hex,
    }
    answers = await asyncio.gather(*(rate(client, **values) for _ in range(5)))
    receipts = [a["data"]["rateServicePoint"] for a in answers]
    assert len({r["ratingId"] for r in receipts}) == 1
    assert sum(not r["replayed"] for r in receipts) == 1
    assert {(r["servicePointId"], r["score"], r["comment"]) for r in receipts} == {
        (point, 4, "สะดวก")
    }
    final = await delivered(client, values)
    assert (final["status"], final["replayed"], final["receivedAt"]) == (
        "DELIVERED", True, receipts[0]["receivedAt"],
    )  # fmt: skip
    log = sandbox_of(gateway_app).state.agency("citizeninfo").requests
    assert [r.method for r in log if r.path == f"/api/service-points/{point}/ratings"] == ["POST"]
    other = await rate(client, **(values | {"score": 2}))
    assert other["data"] is None
    assert other["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "idempotencyKey",
    }


@pytest.mark.parametrize(
    ("change", "argument"),
    [
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({"comment": "ก" * 2001}, "comment"),
        ({"idempotencyKey": "short"}, "idempotencyKey"),
        ({"servicePointId": "not-a-point"}, "servicePointId"),
        ({"servicePointId": str(uuid.UUID(int=7))}, "servicePointId"),  # no such point
    ],
)
async def test_invalid_ratings_are_refused(
    client: httpx.AsyncClient, gateway_app: Starlette, change: dict[str, Any], argument: str
) -> None:
    values = {"servicePointId": point_of(gateway_app, 32), "score": 3}
    found = await rate(client, **(values | {"idempotencyKey": uuid.uuid4().hex} | change))
    assert found["data"] is None
    assert found["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    log = sandbox_of(gateway_app).state.agency("citizeninfo").requests
    assert not [r for r in log if r.method == "POST" and point_of(gateway_app, 32) in r.path]


async def test_a_score_that_is_not_a_whole_number_is_refused(client: httpx.AsyncClient) -> None:
    found = await rate(client, servicePointId=str(uuid.UUID(int=8)), score=4.5, idempotencyKey="k")
    assert found.get("data") is None  # the variables do not coerce
    assert found["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_rating_the_agency_refuses_shows_why(
    client: httpx.AsyncClient, gateway_app: Starlette
) -> None:
    resources = gateway_app.state.resources
    gone = str(uuid.UUID(int=9))  # stored as if the point had existed when it was rated
    values = {"servicePointId": gone, "score": 2, "idempotencyKey": uuid.uuid4().hex}
    draft = validate(point=gone, score=2, comment=None, idempotency_key=values["idempotencyKey"])
    await RatingStore(resources.engine).add(draft)
    resources.outbox.notify()
    final = await delivered(client, values)  # a repeat: the point is not checked again
    assert (final["status"], final["rejection"]) == (
        "REJECTED",
        "CITIZENinfo HTTP 404 NOT_FOUND: no service point with this pointId",
    )
