"""Automatic Persisted Queries over HTTP: the Apollo client's round trip, and GET for a CDN."""

from __future__ import annotations

import uuid

import httpx
import orjson

from gateway.persisted.manifest import sha256_of


def _extensions(sha256: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


async def test_unknown_hash_then_registered_then_cacheable_by_get(
    client: httpx.AsyncClient,
) -> None:
    query = f'query Small {{ subdistrict(code: "840503") {{ nameTh }} }} # {uuid.uuid4()}'
    extensions = _extensions(sha256_of(query))
    get_params = {"extensions": orjson.dumps(extensions).decode()}
    unknown = await client.get("/graphql", params=get_params)
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "cache-control" not in unknown.headers
    sent = await client.post("/graphql", json={"query": query, "extensions": extensions})
    assert sent.json() == {"data": {"subdistrict": {"nameTh": "เกาะเต่า"}}}
    for _ in range(2):  # executed, then from the response cache
        by_hash = await client.get("/graphql", params=get_params)
        assert by_hash.json() == sent.json()
        assert by_hash.headers["cache-control"] == "public, max-age=60"


async def test_a_hash_that_is_not_the_documents_is_refused(client: httpx.AsyncClient) -> None:
    query = "{ registry { version } }"
    answer = await client.post(
        "/graphql", json={"query": query, "extensions": _extensions(sha256_of(query + " "))}
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_answers_with_errors_are_not_marked_cacheable(client: httpx.AsyncClient) -> None:
    query = f'{{ subdistrict(code: "8") {{ nameTh }} }} # {uuid.uuid4()}'
    extensions = _extensions(sha256_of(query))
    await client.post("/graphql", json={"query": query, "extensions": extensions})
    answer = await client.get("/graphql", params={"extensions": orjson.dumps(extensions).decode()})
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_AREA_CODE"
    assert "cache-control" not in answer.headers
