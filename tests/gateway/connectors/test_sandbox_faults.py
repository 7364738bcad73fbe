"""Every sandbox agency, every injected failure shape, through the real connector runtime.

The sandbox's admin API injects the fault; the runtime must turn it into the right error
code, retry only where it should, and open its breaker on repeated failures. The request
log counts the calls that reached the agency.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from central_codes.snapshot import Snapshot
from gateway.connectors import (
    ConnectorRuntime,
    ConnectorSettings,
    MemoryCache,
    UpstreamRequest,
    UpstreamResponse,
    client_session,
)
from gateway.errors import UpstreamError
from sandbox.data import SandboxData
from sandbox.procedures import FIRST_PROCEDURE_ID
from sandbox.server import Sandbox

# A cheap, idempotent read of each agency, as its connector would make it.
PROBES: dict[str, UpstreamRequest] = {
    "cap_alerts": UpstreamRequest(path="/cap/feed.xml", expect="xml"),
    "ckan": UpstreamRequest(path="/api/3/action/package_search", params={"rows": "1"}),
    "citizeninfo": UpstreamRequest(path="/api/service-points", params={"pageSize": "1"}),
    "complaints_1567": UpstreamRequest(
        path="/complaints/1567-2568-000001", handled_statuses=frozenset({404})
    ),
    "dla_documents": UpstreamRequest(path="/rss/documents.xml", expect="xml"),
    "dopa_stat": UpstreamRequest(
        path="/stat/statnew/connectSAPI/stat_forward.php",
        params={
            "API": "/api/statpophouse/v1/statpop/list?action=23&yymm=6809&nat=999&popst=99&cc=84"
        },
    ),
    "infogoth": UpstreamRequest(path=f"/Api/Procedure/a/GetProcedureDetailV2/{FIRST_PROCEDURE_ID}"),
    "landsmaps": UpstreamRequest(path="/apiService/JWT/GetJWTAccessToken"),
    "mea": UpstreamRequest(path="/api/outages", params={"areaCode": "1001"}),
    "mwa": UpstreamRequest(path="/api/mobile/no-water-running-area/latitude/13.75/longitude/100.5"),
    "pea": UpstreamRequest(path="/api/offices"),
    "pwa": UpstreamRequest(path="/api/branches"),
}
# (faults, the code clients see, calls that reach the agency with retries=1)
SHAPES: list[tuple[str, dict[str, Any], str, int]] = [
    ("down", {"down": True}, "UPSTREAM_UNAVAILABLE", 2),
    ("server error", {"error_rate": 1.0, "status": 500}, "UPSTREAM_UNAVAILABLE", 2),
    ("firewall page", {"html_block": True}, "UPSTREAM_BLOCKED", 1),
    ("truncated body", {"malformed": True}, "UPSTREAM_BAD_RESPONSE", 1),
    ("dropped connection", {"drop": True}, "UPSTREAM_UNAVAILABLE", 2),
    ("too slow", {"latency_ms": 400}, "UPSTREAM_TIMEOUT", 2),
    (
        "rate limited",
        {"error_rate": 1.0, "status": 429, "retry_after": 0},
        "UPSTREAM_RATE_LIMITED",
        2,
    ),
    ("forbidden", {"error_rate": 1.0, "status": 403}, "UPSTREAM_AUTH_FAILED", 1),
]


@pytest.fixture(scope="module")
async def sandbox(snapshot: Snapshot) -> AsyncIterator[Sandbox]:
    running = Sandbox(SandboxData(snapshot))
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """The runtime's session; admin calls use their own, so no connection is shared."""
    opened = client_session()
    yield opened
    await opened.close()


@pytest.fixture
async def admin() -> AsyncIterator[aiohttp.ClientSession]:
    """A session for the sandbox's admin API."""
    async with aiohttp.ClientSession() as opened:
        yield opened


async def _admin(
    session: aiohttp.ClientSession, url: str, method: str, path: str, body: Any = None
) -> Any:
    async with session.request(method, f"{url}/__admin/{path}", json=body) as answer:
        assert answer.status == 200, await answer.text()
        return await answer.json()


def _runtime(
    sandbox: Sandbox, name: str, session: aiohttp.ClientSession, **changes: Any
) -> ConnectorRuntime:
    settings = ConnectorSettings(
        name=name, base_url=sandbox.urls[name], timeout_seconds=0.2, retries=1, backoff_seconds=0.01
    )
    return ConnectorRuntime(dataclasses.replace(settings, **changes), session, cache=MemoryCache())


def _length(response: UpstreamResponse) -> int:
    """Read the answer as the agency's connector would (JSON or XML), and measure it."""
    document = response.xml() if response.content_type.endswith("xml") else response.json()
    return len(response.text()) if document is not None else 0


@pytest.mark.parametrize("name", sorted(PROBES))
async def test_a_healthy_agency_answers_and_sees_our_request_id(
    sandbox: Sandbox, session: aiohttp.ClientSession, admin: aiohttp.ClientSession, name: str
) -> None:
    url = sandbox.urls[name]
    await _admin(admin, url, "DELETE", f"requests/{name}")
    probe = dataclasses.replace(PROBES[name], request_id="req-fault-suite")
    # a generous timeout: some agencies build their data on the first call
    runtime = _runtime(sandbox, name, session, timeout_seconds=10.0)
    fetched = await runtime.fetch(probe, parse=_length)
    assert fetched.value > 0
    log = await _admin(admin, url, "GET", f"requests/{name}")
    assert [r["request_id"] for r in log["requests"]] == ["req-fault-suite"]


@pytest.mark.parametrize("name", sorted(PROBES))
@pytest.mark.parametrize(("shape", "faults", "code", "calls"), SHAPES, ids=[s[0] for s in SHAPES])
async def test_each_failure_shape_gives_its_code(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    admin: aiohttp.ClientSession,
    name: str,
    shape: str,
    faults: dict[str, Any],
    code: str,
    calls: int,
) -> None:
    url = sandbox.urls[name]
    await _admin(admin, url, "DELETE", f"requests/{name}")
    await _admin(admin, url, "PUT", f"faults/{name}", faults)
    try:
        with pytest.raises(UpstreamError) as raised:
            await _runtime(sandbox, name, session).fetch(PROBES[name], parse=_length)
    finally:
        await _admin(admin, url, "DELETE", f"faults/{name}")
    extensions = raised.value.as_extensions()
    assert (extensions["code"], extensions["connector"]) == (code, name), shape
    log = await _admin(admin, url, "GET", f"requests/{name}")
    assert log["count"] == calls, shape


@pytest.mark.parametrize("name", sorted(PROBES))
async def test_repeated_failures_open_the_breaker_and_then_nothing_is_sent(
    sandbox: Sandbox, session: aiohttp.ClientSession, admin: aiohttp.ClientSession, name: str
) -> None:
    url = sandbox.urls[name]
    runtime = _runtime(sandbox, name, session, retries=0, breaker_failures=2)
    await _admin(admin, url, "PUT", f"faults/{name}", {"down": True})
    try:
        for _ in range(2):
            with pytest.raises(UpstreamError):
                await runtime.fetch(PROBES[name], parse=_length)
        await _admin(admin, url, "DELETE", f"requests/{name}")
        with pytest.raises(UpstreamError) as raised:
            await runtime.fetch(PROBES[name], parse=_length)
    finally:
        await _admin(admin, url, "DELETE", f"faults/{name}")
    assert raised.value.code == "CIRCUIT_OPEN"
    assert (await _admin(admin, url, "GET", f"requests/{name}"))["count"] == 0
    assert runtime.status().circuit == "open"
