"""With a tracer provider, each request is a span and each connector call a child span of it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.settings import Settings
from sandbox.server import Sandbox

QUERY = 'query Traced { district(code: "8405") { nameTh population { total } } }'


@pytest.fixture(scope="module")
def exporter() -> InMemorySpanExporter:
    """Where the app's spans end up."""
    return InMemorySpanExporter()


@pytest.fixture(scope="module")
async def app(
    settings_factory: Callable[..., Settings], exporter: InMemorySpanExporter
) -> AsyncIterator[Starlette]:
    """An app tracing into :func:`exporter`."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    made = create_app(settings_factory(), tracer_provider=provider)
    async with made.router.lifespan_context(made):
        yield made


async def test_a_request_span_with_a_span_per_connector_call(
    client: httpx.AsyncClient, sandbox: Sandbox, exporter: InMemorySpanExporter
) -> None:
    upstream = sandbox.state.agency("dopa_stat").requests
    upstream.clear()
    exporter.clear()
    response = await client.post("/graphql", json={"query": QUERY}, headers={"X-Request-Id": "t-1"})
    assert response.json()["data"]["district"]["population"]["total"] > 0
    spans = exporter.get_finished_spans()
    [request] = [s for s in spans if s.name == "graphql"]
    calls = [s for s in spans if s.name == "connector dopa_stat"]
    assert request.kind is SpanKind.SERVER
    assert request.attributes is not None
    assert request.attributes["graphql.operation.name"] == "Traced"
    assert request.attributes["moi.request_id"] == "t-1"
    assert request.attributes["http.response.status_code"] == 200
    assert len(calls) == len(upstream) >= 1
    for call in calls:
        assert call.kind is SpanKind.CLIENT
        assert call.parent is not None
        assert call.parent.span_id == request.context.span_id
        assert call.attributes == {"moi.connector": "dopa_stat", "moi.outcome": "ok"}


async def test_a_failed_connector_call_is_an_error_span(
    client: httpx.AsyncClient, sandbox: Sandbox, exporter: InMemorySpanExporter
) -> None:
    sandbox.state.set_faults("mwa", {"down": True})
    exporter.clear()
    try:
        query = '{ subdistrict(code: "100101") { waterOutages { source } } }'
        body = (await client.post("/graphql", json={"query": query})).json()
    finally:
        sandbox.state.set_faults("mwa", {"down": False})
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    failed = [s for s in exporter.get_finished_spans() if s.name == "connector mwa"]
    assert failed
    assert all(s.status.status_code is StatusCode.ERROR for s in failed)
    assert all(s.attributes and s.attributes["moi.outcome"] == "unavailable" for s in failed)
