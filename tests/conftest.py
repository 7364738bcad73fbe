"""Fixtures shared by the whole suite: databases (SQLite always, PostgreSQL when configured),
the geothai registry loaded into them, and the gateway app over a loaded registry.

PostgreSQL tests read ``MOI_TEST_POSTGRES_URL`` and Redis tests ``MOI_TEST_REDIS_URL``
(``.ci/run`` sets both); without them those tests are skipped with the reason shown in the summary.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from central_codes.database import create_engine, migrate
from central_codes.loading import load_registry
from central_codes.records import RegistryData
from central_codes.snapshot import Snapshot, read_snapshot
from central_codes.sources.geothai_package import read_geothai
from gateway.access import API_KEY_HEADER, KeyStore, Tier, tier_scopes
from gateway.app import create_app
from gateway.schema.nodes import AreaNodes
from gateway.settings import Settings
from gateway.shared_state import SharedRedis, open_redis

POSTGRES_URL = os.environ.get("MOI_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("MOI_TEST_REDIS_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.sqlite3'}"
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL: set MOI_TEST_POSTGRES_URL to run this test on it")
    name = f"moi_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(POSTGRES_URL, f"CREATE DATABASE {name}"))
    yield str(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    asyncio.run(_admin(POSTGRES_URL, f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture
async def shared_redis() -> AsyncIterator[SharedRedis]:
    """Redis under a prefix no other test uses; its keys are deleted afterwards."""
    if not REDIS_URL:
        pytest.skip("Redis: set MOI_TEST_REDIS_URL to run this test on it")
    redis = open_redis(REDIS_URL, f"moi-test-{uuid.uuid4().hex[:12]}:")
    assert redis is not None
    yield redis
    keys = [key async for key in redis.client.scan_iter(match=f"{redis.prefix}*")]
    if keys:
        await redis.client.delete(*keys)
    await redis.close()


async def _admin(url: str, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(sql))
    await engine.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database."""
    engine = create_engine(database_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def geothai_data() -> RegistryData:
    """The registry content shipped in geothai, read once."""
    return read_geothai()


@pytest.fixture
async def loaded_engine(engine: AsyncEngine, geothai_data: RegistryData) -> AsyncEngine:
    """A database holding the geothai registry."""
    await load_registry(engine, geothai_data)
    return engine


@pytest.fixture(scope="session")
async def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """A snapshot of the geothai registry (SQLite), shared read-only by the session."""
    path = tmp_path_factory.mktemp("snapshot") / "registry.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    await migrate(engine)
    await load_registry(engine, read_geothai())
    found = await read_snapshot(engine)
    await engine.dispose()
    assert found is not None
    return found


# the suite asks one app thousands of times from one address; rate-limit tests set their own
UNLIMITED = {"rate_limit_public": 0, "rate_limit_partner": 0, "rate_limit_internal": 0}


@pytest.fixture(scope="session")
def settings_factory(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Settings]:
    """Settings over a fresh SQLite file, without rate limits, unless told otherwise."""

    def make(**overrides: object) -> Settings:
        path = tmp_path_factory.mktemp("gateway") / "gateway.sqlite3"
        values: dict[str, object] = {"database_url": f"sqlite:///{path}", **UNLIMITED, **overrides}
        return Settings(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
async def gateway_app(settings_factory: Callable[..., Settings]) -> AsyncIterator[Starlette]:
    """One gateway app, its lifespan running, over a loaded registry."""
    app = create_app(settings_factory())
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="session")
async def client(gateway_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to :func:`gateway_app`, as an anonymous caller."""
    transport = httpx.ASGITransport(app=gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as c:
        yield c


@pytest.fixture
def registry_batches(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The codes of every batch looked up in the registry's nodes, as each was asked for."""
    seen: list[list[str]] = []
    find_many = AreaNodes.find_many

    def counted(self: AreaNodes, codes: list[str]) -> Any:
        seen.append(list(codes))
        return find_many(self, codes)

    monkeypatch.setattr(AreaNodes, "find_many", counted)
    return seen


async def key_headers(app: Starlette, tier: Tier) -> dict[str, str]:
    """The header of a new API key of ``tier`` (with its tier's scopes), issued on ``app``."""
    engine = app.state.resources.engine
    key, _ = await KeyStore(engine).issue(f"test {tier.value}", tier, tier_scopes(tier), None)
    return {API_KEY_HEADER: key}


@contextlib.asynccontextmanager
async def keyed_client(app: Starlette, tier: Tier) -> AsyncIterator[httpx.AsyncClient]:
    """A client of ``app`` sending a new API key of ``tier``."""
    headers = await key_headers(app, tier)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://gateway", headers=headers
    ) as c:
        yield c


@pytest.fixture(scope="session")
async def partner_client(gateway_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client of :func:`gateway_app` sending a partner's API key."""
    async with keyed_client(gateway_app, Tier.PARTNER) as c:
        yield c


@pytest.fixture(scope="session")
async def internal_client(gateway_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client of :func:`gateway_app` sending an internal (operator's) API key."""
    async with keyed_client(gateway_app, Tier.INTERNAL) as c:
        yield c
