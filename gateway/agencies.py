"""The process's link to the agencies: one HTTP session, the connectors, and the sandbox.

When no agency URL is configured (``GATEWAY_SANDBOX=auto``), the sandbox agencies start inside
the process and every connector is pointed at them, so ``moi-gateway serve`` works alone.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
from opentelemetry.trace import Tracer

from central_codes.snapshot import Snapshot
from gateway.connectors import Cache, Connectors, MemoryCache, client_session
from gateway.connectors.config import ConnectorSettings
from gateway.connectors.metrics import CallObserver
from gateway.connectors.redis_cache import RedisCache
from gateway.settings import SandboxMode, Settings
from gateway.shared_state import SharedRedis
from sandbox.data import SandboxData
from sandbox.server import Sandbox

__all__ = ["AgencyLinks", "connector_cache", "open_agencies"]

log = logging.getLogger("gateway.agencies")


@dataclass
class AgencyLinks:
    """What the lifespan opened to reach the agencies; :meth:`close` closes all of it."""

    connectors: Connectors
    session: aiohttp.ClientSession
    sandbox: Sandbox | None = None

    async def close(self) -> None:
        """Close the session, then stop the in-process sandbox if there is one."""
        await self.session.close()
        if self.sandbox is not None:
            await self.sandbox.stop()


def _wants_sandbox(settings: Settings) -> bool:
    if settings.sandbox is SandboxMode.AUTO:
        return not settings.any_connector_configured
    return settings.sandbox is SandboxMode.ALWAYS


def connector_cache(redis: SharedRedis | None) -> Cache:
    """The connector cache: in Redis, shared by every instance, when Redis is configured."""
    return MemoryCache() if redis is None else RedisCache(redis)


async def open_agencies(
    settings: Settings,
    snapshot: Snapshot | None,
    redis: SharedRedis | None = None,
    *,
    observer: Callable[[str], CallObserver | None] = lambda _name: None,
    tracer: Tracer | None = None,
) -> AgencyLinks:
    """Open the session and connectors, starting the sandbox first when it is wanted.

    ``observer`` and ``tracer`` are where the connectors report their calls (metrics, spans).
    """
    connectors = dict(settings.connectors)
    sandbox = None
    if _wants_sandbox(settings) and snapshot is not None:
        sandbox = Sandbox(SandboxData(snapshot))
        urls = await sandbox.start()
        connectors = _pointed(connectors, urls)
        log.info("no agency URL configured: sandbox agencies started in-process at %s", urls)
    session = client_session()
    cache = connector_cache(redis)
    runtimes = Connectors(connectors, session, cache, observer=observer, tracer=tracer)
    return AgencyLinks(runtimes, session, sandbox)


def _pointed(
    connectors: dict[str, ConnectorSettings], urls: dict[str, str]
) -> dict[str, ConnectorSettings]:
    return {
        name: dataclasses.replace(c, base_url=urls.get(name, c.base_url))
        for name, c in connectors.items()
    }
