"""Where the connectors point: the in-process sandbox when nothing is configured, else the URLs."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from gateway.access import Tier
from gateway.agencies import connector_cache
from gateway.app import create_app
from gateway.connectors import CacheEntry, MemoryCache
from gateway.connectors.catalogue import CONNECTOR_NAMES
from gateway.connectors.config import connector_settings
from gateway.connectors.redis_cache import RedisCache
from gateway.settings import SandboxMode, Settings
from gateway.shared_state import SharedRedis
from sandbox.agencies import ALL
from tests.conftest import key_headers

QUERY = "{ connectors { name baseUrl circuitState errorRate } }"


async def _connectors(settings: Settings) -> list[dict[str, object]]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            headers = await key_headers(app, Tier.INTERNAL)
            answer = await client.post("/graphql", json={"query": QUERY}, headers=headers)
    return list(answer.json()["data"]["connectors"])


async def test_with_no_url_every_sandbox_agency_is_started_and_used(
    settings_factory: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="gateway.agencies"):
        found = await _connectors(settings_factory())
    assert [c["name"] for c in found] == list(CONNECTOR_NAMES)
    in_sandbox = {a.name for a in ALL}
    for connector in found:
        if connector["name"] in in_sandbox:
            assert str(connector["baseUrl"]).startswith("http://127.0.0.1:"), connector
        assert (connector["circuitState"], connector["errorRate"]) == ("closed", 0.0)
    assert "sandbox agencies started in-process" in caplog.text


async def test_a_configured_url_is_used_and_no_sandbox_starts(
    settings_factory: Callable[..., Settings],
) -> None:
    environ = {"GATEWAY_CONNECTOR_DOPA_STAT_URL": "https://stat.example"}
    settings = settings_factory(connectors=connector_settings(CONNECTOR_NAMES, environ))
    found = {c["name"]: c["baseUrl"] for c in await _connectors(settings)}
    assert found["dopa_stat"] == "https://stat.example"
    assert all(url is None for name, url in found.items() if name != "dopa_stat")


async def test_sandbox_never_leaves_connectors_unconfigured(
    settings_factory: Callable[..., Settings],
) -> None:
    found = await _connectors(settings_factory(sandbox=SandboxMode.NEVER))
    assert all(c["baseUrl"] is None for c in found)


async def test_the_connector_cache_is_in_redis_when_redis_is_configured(
    shared_redis: SharedRedis,
) -> None:
    assert isinstance(connector_cache(None), MemoryCache)
    cache = connector_cache(shared_redis)
    assert isinstance(cache, RedisCache)
    await cache.set("dopa_stat:10", CacheEntry(1, 0.0), ttl_seconds=10)
    assert await shared_redis.client.exists(shared_redis.key("cache", "dopa_stat:10")) == 1
