"""The access check on the real gateway: credentials on ``/graphql``, health left open."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from gateway.access import KeyStore, Tier

QUERY = {"query": '{ province(code: "10") { nameEn } }'}


async def test_a_forged_key_is_401_on_graphql_with_a_request_id(client: httpx.AsyncClient) -> None:
    answer = await client.post("/graphql", json=QUERY, headers={"X-API-Key": "moi_1_forged"})
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert answer.headers["X-Request-Id"]


async def test_a_good_key_and_no_key_both_answer(
    client: httpx.AsyncClient, gateway_app: Starlette
) -> None:
    key, _ = await KeyStore(gateway_app.state.resources.engine).issue(
        "p", Tier.PARTNER, ["partner"], None
    )
    for headers in ({"X-API-Key": key}, {}):
        answer = await client.post("/graphql", json=QUERY, headers=headers)
        assert answer.json() == {"data": {"province": {"nameEn": "Bangkok"}}}


async def test_health_and_readiness_ignore_credentials(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/readyz"):
        answer = await client.get(path, headers={"X-API-Key": "forged"})
        assert answer.status_code == 200
