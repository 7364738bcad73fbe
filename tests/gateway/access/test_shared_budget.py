"""Two gateway instances on one database and one Redis share each caller's budget."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from gateway.access import API_KEY_HEADER, KeyStore, Tier
from gateway.app import create_app
from gateway.settings import Settings
from gateway.shared_state import SharedRedis
from tests.conftest import REDIS_URL
from tests.gateway.access.test_rate_limit import Clock

QUERY = {"query": '{ province(code: "50") { nameEn } }'}


@pytest.fixture
async def instances(
    database_url: str,
    loaded_engine: AsyncEngine,
    shared_redis: SharedRedis,
    settings_factory: Callable[..., Settings],
) -> AsyncIterator[tuple[list[Starlette], Clock]]:
    """Two apps, each with its own lifespan, over one database and one Redis."""
    clock = Clock()
    settings = settings_factory(
        database_url=database_url,
        redis_url=REDIS_URL,
        redis_prefix=shared_redis.prefix,
        load_registry_if_empty=False,
        rate_limit_partner=600,
    )
    apps = [create_app(settings, clock=clock) for _ in range(2)]
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(app.router.lifespan_context(app))
        yield apps, clock


async def _ask(app: Starlette, key: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        return await client.post("/graphql", json=QUERY, headers={API_KEY_HEADER: key})


async def test_requests_through_either_instance_count_against_one_budget(
    instances: tuple[list[Starlette], Clock], loaded_engine: AsyncEngine
) -> None:
    (first, second), clock = instances
    key, _ = await KeyStore(loaded_engine).issue("DLA", Tier.PARTNER, ["partner"], 5)
    answers = [await _ask(app, key) for app in (first, second, first, second, first)]
    assert [a.status_code for a in answers] == [200] * 5
    assert [_remaining(a) for a in answers] == [4, 3, 2, 1, 0]
    assert answers[0].json() == {"data": {"province": {"nameEn": "Chiang Mai"}}}
    for app in (first, second):
        refused = await _ask(app, key)
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "12"  # 60 s / 5 requests
    clock.now += 12.0
    assert (await _ask(second, key)).status_code == 200
    assert (await _ask(first, key)).status_code == 429
    other, _ = await KeyStore(loaded_engine).issue("PEA", Tier.PARTNER, ["partner"], None)
    assert _remaining(await _ask(first, other)) == 599


def _remaining(answer: httpx.Response) -> int:
    """The ``r`` (requests remaining) of the answer's RateLimit header."""
    fields = dict(p.partition("=")[::2] for p in answer.headers["RateLimit"].split(";")[1:])
    return int(fields["r"])
