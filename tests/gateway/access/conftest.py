"""Fixtures for access tests: a key store over each database, and a small app behind the access
middleware that answers with the principal it was given."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.access import AccessGate, Authenticator, KeyStore, principal_of
from gateway.access.rate_limit import RateLimiter
from gateway.http.front_door import FrontDoor


@pytest.fixture
def keys(engine: AsyncEngine) -> KeyStore:
    """A key store over a migrated database (SQLite and PostgreSQL)."""
    return KeyStore(engine)


async def _whoami(request: Request) -> JSONResponse:
    principal = principal_of(request.scope)
    return JSONResponse(
        {"id": principal.id, "tier": principal.tier.value, "scopes": sorted(principal.scopes)}
    )


def whoami_app(authenticator: Authenticator, limiter: RateLimiter | None = None) -> Starlette:
    """An app whose every route answers with the caller the front door found."""
    routes = [Route("/whoami", _whoami), Route("/healthz", _whoami)]
    door = Middleware(FrontDoor, gate=AccessGate(authenticator, limiter))
    return Starlette(routes=routes, middleware=[door])


@pytest.fixture
async def whoami(keys: KeyStore) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the whoami app with API keys only."""
    transport = httpx.ASGITransport(app=whoami_app(Authenticator(keys)))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client
