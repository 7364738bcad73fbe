"""A directory over the sandbox's CITIZENinfo, for the index and directory tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.service_points import ServicePointDirectory, ServicePointIndex
from sandbox.server import Sandbox

DirectoryFactory = Callable[..., Awaitable[ServicePointDirectory]]


@pytest.fixture
async def directory_factory(clean_points_sandbox: Sandbox) -> AsyncIterator[DirectoryFactory]:
    """A factory: a directory over the sandbox's CITIZENinfo (no retries), not yet read."""
    url = clean_points_sandbox.urls["citizeninfo"]
    settings = ConnectorSettings("citizeninfo", base_url=url, retries=0)
    async with client_session() as session:
        runtime = ConnectorRuntime(settings, session, cache=MemoryCache())

        async def make(**options: object) -> ServicePointDirectory:
            return ServicePointDirectory(lambda: runtime, every_seconds=3600, **options)  # type: ignore[arg-type]

        yield make


@pytest.fixture(scope="session")
async def loaded_index(points_sandbox: Sandbox) -> ServicePointIndex:
    """The whole country's points, read once from the sandbox."""
    url = points_sandbox.urls["citizeninfo"]
    async with client_session() as session:
        settings = ConnectorSettings("citizeninfo", base_url=url, retries=0)
        runtime = ConnectorRuntime(settings, session, cache=MemoryCache())
        index = await ServicePointDirectory(lambda: runtime, every_seconds=3600).refresh()
    assert index is not None
    return index
