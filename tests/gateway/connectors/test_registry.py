"""The container of all connector runtimes."""

from __future__ import annotations

import aiohttp
import pytest

from gateway.connectors import Connectors, MemoryCache, client_session, connector_settings


async def test_one_runtime_per_connector_and_status_for_all(session: aiohttp.ClientSession) -> None:
    settings = connector_settings(
        ["dopa_stat", "landsmaps"], {"GATEWAY_CONNECTOR_DOPA_STAT_URL": "http://127.0.0.1:9/"}
    )
    connectors = Connectors(settings, session, MemoryCache())
    assert len(connectors) == 2
    assert "landsmaps" in connectors
    assert connectors["dopa_stat"].settings.base_url == "http://127.0.0.1:9/"
    statuses = connectors.status()
    assert [(s.name, s.base_url, s.circuit) for s in statuses] == [
        ("dopa_stat", "http://127.0.0.1:9/", "closed"),
        ("landsmaps", None, "closed"),
    ]
    with pytest.raises(KeyError, match="no connector named 'gistda'"):
        connectors["gistda"]


async def test_client_session_opens_and_closes() -> None:
    session = client_session(connections=10)
    assert session.headers["User-Agent"].startswith("moi-gateway/")
    await session.close()
    assert session.closed
