"""``GET /metrics`` scraped after real requests through the app and the sandbox agencies."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.complaints.store import OUTBOX_KIND
from gateway.settings import Settings
from gateway.telemetry.metrics import OTHER_OPERATIONS, GatewayMetrics
from sandbox.server import Sandbox

POPULATION = 'query MetricsPopulation { district(code: "8405") { population { total } } }'
FILE = "mutation Filed($input: FileComplaintInput!) { fileComplaint(input: $input) { trackingNumber } }"


@pytest.fixture(scope="module")
async def app(settings_factory: Callable[..., Settings]) -> AsyncIterator[Starlette]:
    """An app of its own, so that its counters start at zero."""
    made = create_app(settings_factory(outbox_poll_seconds=0.05, outbox_backoff_seconds=30))
    async with made.router.lifespan_context(made):
        yield made


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a scrape, by name and labels."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables})


async def test_requests_are_counted_by_operation_and_status(client: httpx.AsyncClient) -> None:
    query = f'query Probe{uuid.uuid4().hex[:8]} {{ subdistrict(code: "840503") {{ nameTh }} }}'
    name = query.split()[1]
    for _ in range(3):
        assert (await post(client, query)).status_code == 200
    await client.post(
        "/graphql",
        json={"query": "{ nope"},
        headers={"Accept": "application/graphql-response+json"},
    )
    samples = await scrape(client)
    assert value(samples, "moi_gateway_requests_total", operation=name, status="200") == 3
    assert value(samples, "moi_gateway_request_seconds_count", operation=name) == 3
    assert value(samples, "moi_gateway_requests_total", operation="-", status="400") == 1
    assert value(samples, "moi_gateway_errors_total", code="GRAPHQL_PARSE_FAILED") == 1


async def test_response_cache_hits_and_misses(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    query = f'query Cached{uuid.uuid4().hex[:8]} {{ province(code: "84") {{ nameEn }} }}'
    for _ in range(3):
        await post(client, query)
    after = await scrape(client)
    for result, count in (("miss", 1), ("hit", 2)):
        labels = {"cache": "response", "result": result}
        grown = value(after, "moi_gateway_cache_lookups_total", **labels) - value(
            before, "moi_gateway_cache_lookups_total", **labels
        )
        assert grown == count


async def test_error_codes_of_answers(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    await post(client, '{ subdistrict(code: "8405031") { nameTh } }')
    after = await scrape(client)
    code = {"code": "BAD_AREA_CODE"}
    assert (
        value(after, "moi_gateway_errors_total", **code)
        - value(before, "moi_gateway_errors_total", **code)
        == 1
    )


async def test_connector_calls_latency_and_cache(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Each upstream request the sandbox logged is one ``ok`` call; the repeat is all cache hits."""
    log = sandbox.state.agency("dopa_stat").requests
    log.clear()
    body = (await post(client, POPULATION)).json()
    assert body["data"]["district"]["population"]["total"] > 0
    upstream = len(log)
    assert upstream >= 1
    first = await scrape(client)
    await post(client, POPULATION)
    assert len(log) == upstream
    again = await scrape(client)
    ok = {"connector": "dopa_stat", "outcome": "ok"}
    calls, hits = (
        "moi_gateway_connector_calls_total",
        {"connector": "dopa_stat", "outcome": "cache_hit"},
    )
    assert value(first, calls, **ok) == upstream
    assert value(first, "moi_gateway_connector_seconds_count", **ok) == upstream
    assert value(again, calls, **ok) == upstream
    lookups = "moi_gateway_cache_lookups_total"
    misses = value(first, lookups, cache="dopa_stat", result="miss")
    assert misses >= 1
    assert value(again, lookups, cache="dopa_stat", result="miss") == misses
    assert value(again, calls, **hits) - value(first, calls, **hits) == misses
    assert value(again, lookups, cache="dopa_stat", result="hit") == value(again, calls, **hits)


async def test_breaker_state_per_connector(client: httpx.AsyncClient, app: Starlette) -> None:
    samples = await scrape(client)
    names = [runtime.name for runtime in app.state.resources.connectors()]
    assert len(names) == 13
    assert all(
        value(samples, "moi_gateway_connector_circuit_state", connector=n) == 0 for n in names
    )
    breaker = app.state.resources.connectors()["pwa"].breaker
    for _ in range(app.state.resources.connectors()["pwa"].settings.breaker_failures):
        breaker.failed()
    samples = await scrape(client)
    assert value(samples, "moi_gateway_connector_circuit_state", connector="pwa") == 2
    breaker.succeeded()


async def test_outbox_depth_per_kind(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.state.set_faults("complaints_1567", {"down": True})
    try:
        response = await post(client, FILE, input=_complaint())
        assert response.json()["data"]["fileComplaint"]["trackingNumber"]
        samples = await scrape(client)
    finally:
        sandbox.state.set_faults("complaints_1567", {"down": False})
    assert value(samples, "moi_gateway_outbox_messages", kind=OUTBOX_KIND, state="pending") == 1
    assert value(samples, "moi_gateway_outbox_messages", kind=OUTBOX_KIND, state="failed") == 0


def _complaint() -> dict[str, Any]:
    return {
        "category": "GENERAL_GRIEVANCE",
        "subject": "ท่อประปาแตก",
        "detail": "ท่อประปาหน้าตลาดแตก น้ำไหลนองถนน",
        "areaCode": "840101",
        "contact": {"name": "สมชาย", "phone": "0812345678"},
        "idempotencyKey": f"metrics-{uuid.uuid4().hex}",
    }


def test_operation_names_past_the_limit_are_counted_as_other() -> None:
    metrics = GatewayMetrics(max_operations=2)
    for name in ("A", "B", "C", "D", "A"):
        metrics.request(name, 200, 0.01)
    samples = {
        s.labels["operation"]: s.value
        for family in text_string_to_metric_families(metrics.exposition([]).decode())
        for s in family.samples
        if s.name == "moi_gateway_requests_total"
    }
    assert samples == {"A": 2, "B": 1, OTHER_OPERATIONS: 2}
