"""The whole app on each database: start-up loads an empty registry, serves it, reports ready."""

from __future__ import annotations

import httpx

from gateway.app import create_app
from gateway.settings import Settings

KOH_TAO = '{ subdistrict(code: "840503") { nameTh district { nameTh province { nameEn } } } }'


async def test_a_fresh_database_is_loaded_and_served(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            ready = await client.get("/readyz")
            answer = await client.post("/graphql", json={"query": KOH_TAO})
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"registry": True, "database": True}
    assert answer.json() == {
        "data": {
            "subdistrict": {
                "nameTh": "เกาะเต่า",
                "district": {"nameTh": "เกาะพะงัน", "province": {"nameEn": "Surat Thani"}},
            }
        }
    }


async def test_without_loading_the_gateway_is_not_ready(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, load_registry_if_empty=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            ready = await client.get("/readyz")
            live = await client.get("/healthz")
    assert live.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["checks"]["registry"] is False


async def test_a_query_before_the_registry_is_loaded_is_503_not_ready(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, load_registry_if_empty=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            answer = await client.post("/graphql", json={"query": KOH_TAO})
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.json()["errors"][0]["extensions"]["code"] == "NOT_READY"


async def test_every_route_answers_with_a_request_id(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/readyz", "/static/graphiql.html", "/no-such-page"):
        given = await client.get(path, headers={"X-Request-Id": "trace-42"})
        made = await client.get(path)
        assert given.headers["x-request-id"] == "trace-42", path
        assert len(made.headers["x-request-id"]) == 32, path
        assert made.headers.get_list("x-request-id") == [made.headers["x-request-id"]], path


async def test_made_request_ids_differ(client: httpx.AsyncClient) -> None:
    made = {(await client.get("/healthz")).headers["x-request-id"] for _ in range(50)}
    assert len(made) == 50
