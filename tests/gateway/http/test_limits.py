"""Operation limits over HTTP: refused before any agency is called, with the numbers."""

from __future__ import annotations

import httpx
import pytest

from bench.registry_data import TREE_QUERY

GRAPHQL_RESPONSE = {"accept": "application/graphql-response+json"}
# population asks DOPA's statistics for each of the 7,436 subdistricts
COSTLY = "{ provinces { districts { subdistricts { population { total } } } } }"


async def _agency_requests(client: httpx.AsyncClient, agency: str) -> int:
    answer = await client.post("/graphql", json={"query": "{ connectors { name baseUrl } }"})
    urls = {c["name"]: c["baseUrl"] for c in answer.json()["data"]["connectors"]}
    async with httpx.AsyncClient(base_url=urls[agency]) as admin:
        count: int = (await admin.get(f"/__admin/requests/{agency}")).json()["count"]
    return count


async def test_the_whole_country_tree_is_allowed(client: httpx.AsyncClient) -> None:
    answer = await client.post("/graphql", json={"query": TREE_QUERY})
    assert answer.status_code == 200
    body = answer.json()
    assert "errors" not in body
    assert len(body["data"]["provinces"]) == 77


async def test_a_costly_query_is_refused_before_any_agency_is_called(
    client: httpx.AsyncClient, internal_client: httpx.AsyncClient
) -> None:
    before = await _agency_requests(internal_client, "dopa_stat")
    answer = await client.post("/graphql", json={"query": COSTLY}, headers=GRAPHQL_RESPONSE)
    assert answer.status_code == 400
    (error,) = answer.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["limit"] == "cost"
    assert error["extensions"]["maximum"] == 50_000
    assert error["extensions"]["actual"] > 50_000
    assert "data" not in answer.json()
    assert await _agency_requests(internal_client, "dopa_stat") == before


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        (
            '{ district(code: "8405") { '
            + "subdistricts { district { " * 8
            + "code"
            + " } }" * 8
            + " } }",
            "depth",
        ),
        ("{ " + " ".join(f"a{i}: registry {{ version }}" for i in range(51)) + " }", "aliases"),
        ("{ registry { " + "version " * 5000 + "} }", "tokens"),
    ],
)
async def test_bombs_are_refused_with_their_limit(
    client: httpx.AsyncClient, query: str, limit: str
) -> None:
    answer = await client.post("/graphql", json={"query": query}, headers=GRAPHQL_RESPONSE)
    assert answer.status_code == 400
    (error,) = answer.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["limit"] == limit
    assert error["extensions"]["actual"] > error["extensions"]["maximum"]
