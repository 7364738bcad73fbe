"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from gateway.http.responses import Answer, dump, json_response
from gateway.registry import Registry

__all__ = ["Health"]


class Health:
    """``/healthz``: the process answers. ``/readyz``: the registry is loaded and the database reachable."""

    def __init__(self, engine: AsyncEngine, registry: Registry) -> None:
        self._engine = engine
        self._registry = registry

    async def live(self, _request: Request) -> Answer:
        """Always 200 while the process can answer at all."""
        return json_response(dump({"status": "ok"}), "application/json")

    async def ready(self, _request: Request) -> Answer:
        """200 when ready to serve, else 503 naming what is missing."""
        checks = {"registry": self._registry.service.loaded, "database": await self._database()}
        ready = all(checks.values())
        body = {"status": "ready" if ready else "not ready", "checks": checks}
        if self._registry.service.loaded:
            body["registryVersion"] = self._registry.service.snapshot.release.version
        return json_response(dump(body), "application/json", 200 if ready else 503)

    async def _database(self) -> bool:
        try:
            async with self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            return False
        return True
