"""A client of the app each test module here makes for itself (its ``app`` fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from sandbox.server import Sandbox


@pytest.fixture(scope="module")
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the module's app."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as c:
        yield c


@pytest.fixture(scope="module")
def sandbox(app: Starlette) -> Sandbox:
    """The sandbox agencies the module's app started in-process."""
    found: Sandbox = app.state.resources.agencies.sandbox
    return found
