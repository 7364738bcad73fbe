"""``/graphql`` over HTTP: status codes, media types and bodies as a client sees them.

The status codes follow the GraphQL-over-HTTP spec: with ``application/graphql-response+json`` a
request error (parse, validation, variables) is 400; with ``application/json`` it is 200 and the
body carries the errors. A request that is not well-formed (no ``query``, bad JSON) is 4xx for
both.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import Settings

GRJ = "application/graphql-response+json"
JSON = "application/json"
BANGKOK = "กรุงเทพมหานคร"


@dataclass(frozen=True)
class Case:
    """One request and what the client must see."""

    name: str
    status: int
    method: str = "POST"
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    code: str | None = None  # errors[0].extensions.code
    media: str | None = None  # the media type of the answer


def _post(query: str, accept: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return {"body": body, "headers": {"accept": accept}}


BAD_VARIABLE = 'query($first: Int!) { searchAreas(query: "ราชบุรี", first: $first) { score } }'
CASES = [
    Case("post ok, graphql-response+json", 200, **_post("{ __typename }", GRJ), media=GRJ),
    Case("post ok, json", 200, **_post("{ __typename }", JSON), media=JSON),
    Case("post ok, */* means json", 200, **_post("{ __typename }", "*/*"), media=JSON),
    Case("get query ok", 200, "GET", {"query": "{ __typename }"}, headers={"accept": GRJ}),
    Case(
        "unsupported content type",
        415,
        content=b"{ __typename }",
        headers={"content-type": "application/graphql"},
        code="BAD_REQUEST",
    ),
    Case(
        "json in another charset",
        415,
        content=b'{"query": "{ __typename }"}',
        headers={"content-type": "application/json; charset=ISO-8859-1"},
        code="BAD_REQUEST",
    ),
    Case(
        "json, media type and charset in capitals",
        200,
        content=b'{"query": "{ __typename }"}',
        headers={"content-type": "Application/JSON; Charset=UTF-8"},
    ),
    Case(
        "malformed json",
        400,
        content=b'{"query": ',
        headers={"content-type": JSON},
        code="BAD_REQUEST",
    ),
    Case("accept text/plain only", 406, **_post("{ __typename }", "text/plain")),
    Case("missing query, graphql-response+json", 400, body={"qeury": "{ x }"}, code="BAD_REQUEST"),
    # the spec asks for 400 for a request that is not well-formed whatever the media type;
    # only errors about the document itself are 200 for application/json
    Case(
        "missing query, json",
        400,
        body={"variables": {}},
        headers={"accept": JSON},
        code="BAD_REQUEST",
        media=JSON,
    ),
    Case("variables not a map", 400, body={"query": "{ __typename }", "variables": [7]}),
    Case("parse error, grj", 400, **_post("{ area(", GRJ), code="GRAPHQL_PARSE_FAILED"),
    Case("parse error, json", 200, **_post("{ area(", JSON), code="GRAPHQL_PARSE_FAILED"),
    Case("validation, grj", 400, **_post("{ nope }", GRJ), code="GRAPHQL_VALIDATION_FAILED"),
    Case("validation, json", 200, **_post("{ nope }", JSON), code="GRAPHQL_VALIDATION_FAILED"),
    Case(
        "variable type, grj",
        400,
        **_post(BAD_VARIABLE, GRJ, {"first": "ten"}),
        code="BAD_USER_INPUT",
    ),
    Case(
        "variable type, json",
        200,
        **_post(BAD_VARIABLE, JSON, {"first": "ten"}),
        code="BAD_USER_INPUT",
    ),
    Case("missing variable", 400, **_post(BAD_VARIABLE, GRJ), code="BAD_USER_INPUT"),
    Case(
        "two operations, none named",
        400,
        **_post("query A { __typename } query B { __typename }", GRJ),
        code="BAD_REQUEST",
    ),
    Case("put", 405, "PUT", body={"query": "{ __typename }"}, code="BAD_REQUEST"),
]


async def _send(client: httpx.AsyncClient, case: Case) -> httpx.Response:
    kwargs: dict[str, Any] = {"headers": case.headers}
    if case.method == "GET":
        return await client.get("/graphql", params=case.params, headers=case.headers)
    if case.content is not None:
        kwargs["content"] = case.content
    elif case.body is not None:
        kwargs["json"] = case.body
    return await client.request(case.method, "/graphql", **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_status_code_and_body(client: httpx.AsyncClient, case: Case) -> None:
    response = await _send(client, case)
    assert response.status_code == case.status, response.text
    if case.media is not None:
        assert response.headers["content-type"] == f"{case.media}; charset=utf-8"
    body = response.json()
    if case.code is not None:
        assert body["errors"][0]["extensions"]["code"] == case.code
        assert "data" not in body  # a request error never started execution
    elif case.status == 200:
        assert body == {"data": {"__typename": "Query"}}


async def test_405_names_the_allowed_methods(client: httpx.AsyncClient) -> None:
    response = await client.delete("/graphql")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


async def test_get_with_a_mutation_is_refused_with_405(client: httpx.AsyncClient) -> None:
    # The method is checked first, as the spec asks (405 with Allow), so clients learn to
    # use POST.
    params = {"query": "mutation { __typename }"}
    response = await client.get("/graphql", params=params, headers={"accept": GRJ})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_subscription_over_http_is_a_request_error_naming_the_websocket(
    client: httpx.AsyncClient,
) -> None:
    # subscriptions stream over graphql-transport-ws; over HTTP one is refused before
    # anything runs, which is a request error (400, no data)
    response = await client.post(
        "/graphql",
        json={"query": 'subscription { disasterAlerts(areaCode: "84") { change } }'},
        headers={"accept": GRJ},
    )
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "graphql-transport-ws" in body["errors"][0]["message"]


@pytest.mark.parametrize("accept", [GRJ, JSON])
async def test_an_invalid_area_code_is_a_field_error_with_null_data(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await client.post(
        "/graphql", json={"query": '{ area(code: "1x") { code } }'}, headers={"accept": accept}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"area": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_AREA_CODE"
    assert body["errors"][0]["path"] == ["area"]


async def test_a_well_formed_unknown_code_is_null_without_errors(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json={"query": '{ area(code: "99") { code } }'})
    assert response.json() == {"data": {"area": None}}


async def test_thai_text_is_utf8_bytes_not_escapes(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": '{ province(code: "10") { nameTh } }'})
    assert BANGKOK.encode("utf-8") in response.content
    assert b"\\u0e" not in response.content.lower()
    assert response.headers["content-type"].endswith("charset=utf-8")


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_valid_request_id_is_echoed(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(
        method,
        "/graphql",
        params={"query": "{ __typename }"} if method == "GET" else None,
        json={"query": "{ __typename }"} if method == "POST" else None,
        headers={"x-request-id": "order-42.retry_1"},
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "order-42.retry_1"


@pytest.mark.parametrize("given", [None, "has spaces", "x" * 65, "ข้อมูล".encode()])
async def test_a_missing_or_invalid_request_id_is_replaced(
    client: httpx.AsyncClient, given: str | bytes | None
) -> None:
    headers = {} if given is None else {"x-request-id": given}
    response = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_a_browser_gets_graphiql(client: httpx.AsyncClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = await client.get("/graphql", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script src="/static/graphiql.min.js"' in response.text


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/static/graphiql.min.js", "javascript"),
        ("/static/graphiql.min.css", "text/css"),
        ("/static/react.production.min.js", "javascript"),
        ("/static/LICENSES.txt", "text/plain"),
    ],
)
async def test_graphiql_assets_are_served_locally(
    client: httpx.AsyncClient, path: str, media: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert media in response.headers["content-type"]
    assert len(response.content) > 100


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_once_the_registry_is_loaded(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"registry": True, "database": True}
    assert body["registryVersion"]


@pytest.fixture(scope="module")
async def small_body_client(
    settings_factory: Callable[..., Settings],
) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway of its own that accepts request bodies of at most 200 bytes."""
    app = create_app(settings_factory(max_body_bytes=200))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as c:
            yield c


async def test_a_body_over_the_limit_is_413(small_body_client: httpx.AsyncClient) -> None:
    padding = " " * 300
    response = await small_body_client.post("/graphql", json={"query": "{ __typename }" + padding})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_body_within_the_limit_is_served(small_body_client: httpx.AsyncClient) -> None:
    response = await small_body_client.post("/graphql", json={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_an_unexpected_exception_is_internal_with_the_request_id(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("database password is hunter2 at /srv/secret.py")

    # resolveCode's resolver looks codes up through this function; make it fail unexpectedly
    monkeypatch.setattr("gateway.schema.registry_query.resolve", broken)
    query = '{ resolveCode(code: "104701") { area { code } } }'
    with caplog.at_level(logging.ERROR, logger="gateway.graphql"):
        response = await client.post(
            "/graphql", json={"query": query}, headers={"x-request-id": "req-boom-1"}
        )
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-boom-1"}
    assert "req-boom-1" in error["message"]
    assert b"hunter2" not in response.content
    assert b"Traceback" not in response.content
    assert b"secret.py" not in response.content
    logged = [r for r in caplog.records if r.exc_info and "req-boom-1" in r.getMessage()]
    assert len(logged) == 1  # the operator still gets the whole story
