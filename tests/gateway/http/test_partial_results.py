"""A failing agency nulls only its own fields: the rest of the answer stands, HTTP 200.

Agency-backed fields of the public graph arrive with their connectors; this test gives the
real endpoint and executor a small schema whose one agency field goes through the real
connector runtime to a sandbox agency with a fault injected.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from starlette.applications import Starlette
from starlette.routing import Route

from central_codes.snapshot import Snapshot
from gateway.connectors import Connectors, MemoryCache, UpstreamRequest, client_session
from gateway.connectors.catalogue import CONNECTOR_NAMES
from gateway.connectors.config import connector_settings
from gateway.execution import Executor
from gateway.http.graphql import GraphQLEndpoint
from gateway.registry import Registry
from gateway.schema.context import Info
from gateway.schema.fast_paths import registry_fields
from sandbox.data import SandboxData
from sandbox.server import Sandbox

FEED = UpstreamRequest(path="/rss/documents.xml", expect="xml")


@strawberry.type
class Query:
    @strawberry.field
    def registry_version(self, info: Info) -> str:
        return info.context.registry.snapshot.release.version

    @strawberry.field
    async def stall(self) -> int:
        await asyncio.sleep(60)  # work that is no agency call: only the view's deadline ends it
        return 0

    @strawberry.field
    async def dla_documents(self, info: Info) -> int | None:
        assert info.context.connectors is not None
        runtime = info.context.connectors["dla_documents"]
        request = dataclasses.replace(FEED, request_id=info.context.request_id)
        fetched = await runtime.fetch(request, parse=lambda r: len(r.xml()))
        return fetched.value


@pytest.fixture
async def endpoint(
    gateway_app: Starlette, snapshot: Snapshot, request: pytest.FixtureRequest
) -> AsyncIterator[Any]:
    """An HTTP client over the real endpoint, and the sandbox behind it.

    Parametrize indirectly with a request deadline in seconds (30 unless given).
    """
    sandbox = Sandbox(SandboxData(snapshot))
    urls = await sandbox.start()
    settings = {
        name: dataclasses.replace(c, base_url=urls.get(name), retries=0, breaker_failures=100)
        for name, c in connector_settings(CONNECTOR_NAMES, {}).items()
    }
    session = client_session()
    connectors = Connectors(settings, session, MemoryCache())
    registry: Registry = gateway_app.state.resources.registry
    schema = strawberry.Schema(query=Query)._schema
    view = GraphQLEndpoint(
        Executor(schema, registry_fields(schema)),
        registry,
        lambda: connectors,
        graphiql=False,
        max_body_bytes=10_000,
        deadline_seconds=getattr(request, "param", 30.0),
    )
    app = Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        yield http, sandbox
    await session.close()
    await sandbox.stop()


async def test_a_failing_agency_nulls_its_field_and_the_rest_answers(endpoint: Any) -> None:
    http, sandbox = endpoint
    async with httpx.AsyncClient(base_url=sandbox.urls["dla_documents"]) as admin:
        await admin.put("/__admin/faults/dla_documents", json={"down": True})
    answer = await http.post(
        "/graphql",
        json={"query": "{ registryVersion dlaDocuments }"},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["data"]["dlaDocuments"] is None
    assert body["data"]["registryVersion"]
    [error] = body["errors"]
    assert error["path"] == ["dlaDocuments"]
    assert error["extensions"] == {
        "code": "UPSTREAM_UNAVAILABLE",
        "connector": "dla_documents",
        "retryable": True,
    }


async def test_the_request_id_goes_upstream(endpoint: Any) -> None:
    http, sandbox = endpoint
    answer = await http.post(
        "/graphql", json={"query": "{ dlaDocuments }"}, headers={"X-Request-Id": "trace-7"}
    )
    assert answer.json() == {"data": {"dlaDocuments": 360}}
    async with httpx.AsyncClient(base_url=sandbox.urls["dla_documents"]) as admin:
        log = (await admin.get("/__admin/requests/dla_documents")).json()
    assert [r["request_id"] for r in log["requests"]] == ["trace-7"]


@pytest.mark.parametrize("endpoint", [1.0], indirect=True)
async def test_at_the_deadline_a_slow_agency_field_ends_and_the_rest_answers(
    endpoint: Any,
) -> None:
    http, sandbox = endpoint
    async with httpx.AsyncClient(base_url=sandbox.urls["dla_documents"]) as admin:
        await admin.put("/__admin/faults/dla_documents", json={"latency_ms": 3000})
    answer = await http.post("/graphql", json={"query": "{ registryVersion dlaDocuments }"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["data"]["registryVersion"]
    assert body["data"]["dlaDocuments"] is None
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "DEADLINE_EXCEEDED",
        "connector": "dla_documents",
        "retryable": True,
    }


@pytest.mark.parametrize("endpoint", [1.0], indirect=True)
async def test_work_past_the_deadline_is_answered_504_not_500(endpoint: Any) -> None:
    http, _ = endpoint
    answer = await http.post("/graphql", json={"query": "{ registryVersion stall }"})
    assert answer.status_code == 504
    assert answer.json()["errors"][0]["extensions"] == {"code": "DEADLINE_EXCEEDED"}
    assert (await http.post("/graphql", json={"query": "{ registryVersion }"})).status_code == 200
