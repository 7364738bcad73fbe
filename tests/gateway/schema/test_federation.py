"""The graph as a federation subgraph: ``_service { sdl }`` and ``_entities``, over HTTP.

A router sends ``_entities`` with the representations (``__typename`` and key) of the
entities it wants; each must come back in order, through the request's loaders, one batch
for the whole call.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from central_codes.snapshot import Snapshot
from gateway.schema import build_schema
from sandbox.faults import AgencyState

ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Province { code nameEn isoCode }
    ... on District { code nameTh }
    ... on Subdistrict { code nameTh postalCodes }
  }
}
"""


async def entities(client: httpx.AsyncClient, representations: list[Any]) -> dict[str, Any]:
    """The JSON answer of ``_entities`` for these representations."""
    variables = {"representations": representations}
    answer = await client.post("/graphql", json={"query": ENTITIES, "variables": variables})
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def subdistrict(code: str) -> dict[str, str]:
    """A router's representation of a subdistrict."""
    return {"__typename": "Subdistrict", "code": code}


async def test_service_sdl_is_the_subgraph_sdl(client: httpx.AsyncClient) -> None:
    answer = await client.post("/graphql", json={"query": "{ _service { sdl } }"})
    sdl = answer.json()["data"]["_service"]["sdl"]
    assert sdl == build_schema().subgraph_sdl()
    for level in ("Province", "District", "Subdistrict"):
        assert f'type {level} implements Area @key(fields: "code")' in sdl


async def test_entities_come_back_in_order_each_of_its_type(client: httpx.AsyncClient) -> None:
    body = await entities(
        client,
        [
            subdistrict("840503"),
            {"__typename": "Province", "code": "84"},
            {"__typename": "District", "code": "8405"},
            subdistrict("840503"),
        ],
    )
    assert "errors" not in body, body
    koh_tao = {
        "__typename": "Subdistrict",
        "code": "840503",
        "nameTh": "เกาะเต่า",
        "postalCodes": ["84360"],
    }
    assert body["data"]["_entities"] == [
        koh_tao,
        {"__typename": "Province", "code": "84", "nameEn": "Surat Thani", "isoCode": "TH-84"},
        {"__typename": "District", "code": "8405", "nameTh": "เกาะพะงัน"},
        koh_tao,
    ]


@pytest.mark.parametrize(
    "representation",
    [
        subdistrict("849999"),  # well formed, no such area
        subdistrict("84"),  # a province's code asked for as a subdistrict
        {"__typename": "Province", "code": "8405"},
    ],
)
async def test_an_unknown_key_is_null_without_error(
    client: httpx.AsyncClient, representation: dict[str, str]
) -> None:
    body = await entities(client, [representation, subdistrict("840503")])
    assert "errors" not in body
    assert body["data"]["_entities"][0] is None
    assert body["data"]["_entities"][1]["nameTh"] == "เกาะเต่า"


@pytest.mark.parametrize(
    ("representation", "code"),
    [
        (subdistrict("84O503"), "BAD_AREA_CODE"),
        ({"__typename": "Village", "code": "84050301"}, "BAD_USER_INPUT"),
        ({"code": "840503"}, "BAD_USER_INPUT"),
        ({"__typename": "Subdistrict"}, "BAD_USER_INPUT"),
        ({"__typename": "Subdistrict", "code": 840503}, "BAD_USER_INPUT"),
        ("840503", "BAD_USER_INPUT"),
    ],
)
async def test_a_bad_representation_fails_only_its_own_entry(
    client: httpx.AsyncClient, representation: Any, code: str
) -> None:
    body = await entities(client, [subdistrict("840503"), representation])
    assert body["data"]["_entities"][0]["nameTh"] == "เกาะเต่า"
    assert body["data"]["_entities"][1] is None
    [error] = body["errors"]
    assert error["path"] == ["_entities", 1]
    assert error["extensions"]["code"] == code


async def test_a_hundred_representations_are_one_batch(
    client: httpx.AsyncClient, snapshot: Snapshot, registry_batches: list[list[str]]
) -> None:
    codes = [r.code for r in snapshot.subdistricts_by_province["84"][:100]]
    body = await entities(client, [subdistrict(code) for code in codes])
    assert "errors" not in body
    assert [e["code"] for e in body["data"]["_entities"]] == codes
    assert [len(batch) for batch in registry_batches] == [100]


@pytest.fixture
def dopa_stat(gateway_app: Starlette) -> AgencyState:
    """The sandbox DOPA statistics agency's state, its request log emptied."""
    state: AgencyState = gateway_app.state.resources.agencies.sandbox.state.agency("dopa_stat")
    state.requests.clear()
    return state


async def test_agency_fields_of_many_entities_are_batched_upstream(
    client: httpx.AsyncClient, snapshot: Snapshot, dopa_stat: AgencyState
) -> None:
    records = snapshot.subdistricts_by_province["84"][:100]
    text = """
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Subdistrict { population(period: "2023-02") { total } }
      }
    }
    """
    variables = {"representations": [subdistrict(r.code) for r in records]}
    answer = await client.post("/graphql", json={"query": text, "variables": variables})
    body = answer.json()
    assert "errors" not in body, body
    assert all(e["population"]["total"] > 0 for e in body["data"]["_entities"])
    asked = [dict(parse_qsl(urlsplit(r.query["API"]).query)) for r in dopa_stat.requests]
    districts = sorted({r.code[:4] for r in records})
    assert len(districts) > 1
    assert sorted(c["rcode"] for c in asked) == districts  # one call per district, not per tambon
