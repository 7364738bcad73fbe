"""Serving one sandbox agency to a test, and the admin-fault checks every agency must pass."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from sandbox.data import SandboxData
from sandbox.server import Agency, Sandbox


@asynccontextmanager
async def agency_client(agency: Agency, data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the agency's application (admin routes and fault middleware mounted)."""
    app = Sandbox(data, [agency]).application(agency)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def check_admin_faults(client: TestClient[Any, Any], name: str, path: str) -> None:
    """html_block gives the firewall page, down gives 503, the request log counts calls."""
    await client.delete(f"/__admin/requests/{name}")
    assert (await client.put(f"/__admin/faults/{name}", json={"html_block": True})).status == 200
    blocked = await client.get(path)
    assert blocked.status == 200
    assert "Request Rejected" in await blocked.text()
    await client.put(f"/__admin/faults/{name}", json={"html_block": False, "down": True})
    assert (await client.get(path)).status == 503
    await client.delete(f"/__admin/faults/{name}")
    assert (await client.get(path)).status == 200
    log = await (await client.get(f"/__admin/requests/{name}")).json()
    assert log["count"] == 3
    assert {r["path"] for r in log["requests"]} == {path.split("?")[0]}
