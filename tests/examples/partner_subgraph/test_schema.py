"""The partner's subgraph: its own fields on our Subdistrict and ServicePoint, keyed the way ours
are, over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import GraphQLNonNull, GraphQLObjectType

from gateway.schema import build_schema as build_our_schema
from partner_subgraph import build_schema, create_app, read_catalogue


@pytest.fixture
async def partner() -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the partner's app over the shipped catalogue."""
    transport = httpx.ASGITransport(app=create_app(read_catalogue()))
    async with httpx.AsyncClient(transport=transport, base_url="http://partner") as client:
        yield client


async def answer(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    """The data of a query that must succeed."""
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def object_type(schema: Any, name: str) -> GraphQLObjectType:
    """An object type of a strawberry schema."""
    found = schema._schema.type_map[name]
    assert isinstance(found, GraphQLObjectType)
    return found


@pytest.mark.parametrize(("entity", "key"), [("Subdistrict", "code"), ("ServicePoint", "id")])
def test_the_partner_shares_only_our_key_with_the_same_type(entity: str, key: str) -> None:
    ours = object_type(build_our_schema(), entity)
    theirs = object_type(build_schema(), entity)
    assert set(theirs.fields) & set(ours.fields) == {key}
    assert str(theirs.fields[key].type) == str(ours.fields[key].type) == "ID!"
    assert isinstance(theirs.fields["otopProducts"].type, GraphQLNonNull)


async def test_the_service_sdl_extends_subdistrict_by_code(partner: httpx.AsyncClient) -> None:
    sdl = (await answer(partner, "{ _service { sdl } }"))["_service"]["sdl"]
    assert 'type Subdistrict @key(fields: "code")' in sdl
    assert "federation/v2.7" in sdl


async def test_entities_answer_each_subdistricts_products(partner: httpx.AsyncClient) -> None:
    query = """
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Subdistrict { code otopProducts { nameEn category stars } }
      }
    }
    """
    codes = ["840503", "100101"]  # the second makes nothing this catalogue knows of
    representations = [{"__typename": "Subdistrict", "code": code} for code in codes]
    data = await answer(partner, query, representations=representations)
    assert data["_entities"] == [
        {
            "code": "840503",
            "otopProducts": [
                {"nameEn": "Ko Tao cold-pressed coconut oil", "category": "HERBAL", "stars": 4},
                {"nameEn": "Coral-pattern batik", "category": "TEXTILE", "stars": 3},
            ],
        },
        {"code": "100101", "otopProducts": []},
    ]


async def test_products_of_one_category_name_their_subdistrict(
    partner: httpx.AsyncClient,
) -> None:
    query = "{ otopProducts(category: TEXTILE) { nameEn stars subdistrict { code } } }"
    data = await answer(partner, query)
    assert data["otopProducts"] == [
        {"nameEn": "Akha hand-woven cloth", "stars": 5, "subdistrict": {"code": "570114"}},
        {"nameEn": "Sukhothai teen-jok sarong", "stars": 5, "subdistrict": {"code": "640103"}},
        {"nameEn": "Coral-pattern batik", "stars": 3, "subdistrict": {"code": "840503"}},
    ]


async def test_entities_answer_each_service_points_products(partner: httpx.AsyncClient) -> None:
    query = """
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on ServicePoint { id otopProducts { nameEn } }
      }
    }
    """
    points = ["0bd7d290-fe91-5bf1-98c6-4a55b88dc16a", "00000000-0000-0000-0000-000000000000"]
    representations = [{"__typename": "ServicePoint", "id": point} for point in points]
    data = await answer(partner, query, representations=representations)
    sukhothai = ["Sukhothai teen-jok sarong", "Sangkhalok ceramics", "Sukhothai sun-dried bananas"]
    assert data["_entities"] == [
        {"id": points[0], "otopProducts": [{"nameEn": name} for name in sukhothai]},
        {"id": points[1], "otopProducts": []},
    ]


async def test_a_product_names_the_point_it_was_registered_at(partner: httpx.AsyncClient) -> None:
    data = await answer(partner, "{ otopProducts { registeredAt { id } } }")
    catalogue = read_catalogue()
    assert [p["registeredAt"]["id"] for p in data["otopProducts"]] == [
        p.registered_at for p in catalogue.products
    ]
