"""The ASGI application: routes, and the lifespan that opens and closes shared resources."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from central_codes.database import create_engine, migrate
from central_codes.loading import latest_release, load_registry
from central_codes.snapshot import RegistryService
from central_codes.sources.geothai_package import read_geothai
from gateway.agencies import AgencyLinks, open_agencies
from gateway.alerts import AlertPoller, AlertStore
from gateway.complaints import Complaints
from gateway.connectors import ConnectorRuntime, Connectors
from gateway.execution import Executor
from gateway.http.graphql import GraphQLEndpoint
from gateway.http.health import Health
from gateway.http.request_id import RequestIdMiddleware
from gateway.outbox import OutboxPolicy, OutboxWorker
from gateway.registry import Registry
from gateway.schema import build_schema
from gateway.schema.fast_paths import registry_fields
from gateway.settings import Settings
from gateway.shared_state import SharedRedis, open_redis

__all__ = ["Resources", "create_app"]

log = logging.getLogger("gateway")
_STATIC = Path(__file__).parent / "http" / "static"


@dataclass
class Resources:
    """What the lifespan opens once per process and closes on shutdown."""

    engine: AsyncEngine
    registry: Registry
    redis: SharedRedis | None = None
    agencies: AgencyLinks | None = None
    alerts: AlertPoller | None = None
    outbox: OutboxWorker | None = None

    def connectors(self) -> Connectors | None:
        """The connectors, once the lifespan has opened them."""
        return None if self.agencies is None else self.agencies.connectors

    def alert_poller(self) -> AlertPoller | None:
        """The disaster-alert poller (and its store), once the lifespan has started it."""
        return self.alerts


def create_app(settings: Settings) -> Starlette:
    """The gateway as an ASGI app; nothing is opened until the lifespan starts."""
    engine = create_engine(settings.database_url)
    registry = Registry(RegistryService(engine))
    schema = build_schema()._schema
    executor = Executor(
        schema,
        registry_fields(schema),
        document_cache_size=settings.document_cache_size,
        response_cache_size=settings.response_cache_size,
    )
    resources = Resources(engine, registry, open_redis(settings.redis_url, settings.redis_prefix))
    outbox = resources.outbox = OutboxWorker(engine, _outbox_policy(settings))
    complaints = Complaints(engine, outbox, lambda: _runtime(resources, "complaints_1567"))
    endpoint = GraphQLEndpoint(
        executor,
        registry,
        resources.connectors,
        graphiql=settings.graphiql,
        max_body_bytes=settings.max_body_bytes,
        alerts=resources.alert_poller,
        complaints=complaints,
    )
    health = Health(engine, registry)
    routes = [
        Route("/graphql", endpoint, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Route("/healthz", health.live, methods=["GET"]),
        Route("/readyz", health.ready, methods=["GET"]),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.resources = resources
        poller = await _start_registry(settings, engine, registry)
        snapshot = registry.service.snapshot if registry.service.loaded else None
        resources.agencies = await open_agencies(settings, snapshot, resources.redis)
        resources.alerts = _start_alerts(settings, resources)
        outbox.start()
        try:
            yield
        finally:
            await outbox.stop()  # while the agencies are still reachable: a last flush
            await resources.alerts.stop()
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
            await resources.agencies.close()
            if resources.redis is not None:
                await resources.redis.close()
            await engine.dispose()

    return Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(RequestIdMiddleware)])


def _runtime(resources: Resources, name: str) -> ConnectorRuntime | None:
    connectors = resources.connectors()
    return connectors[name] if connectors and name in connectors else None


def _outbox_policy(settings: Settings) -> OutboxPolicy:
    return OutboxPolicy(
        poll_seconds=settings.outbox_poll_seconds,
        backoff_seconds=settings.outbox_backoff_seconds,
        backoff_max_seconds=settings.outbox_backoff_max_seconds,
        lease_seconds=settings.outbox_lease_seconds,
        flush_seconds=settings.outbox_flush_seconds,
    )


def _start_alerts(settings: Settings, resources: Resources) -> AlertPoller:
    """Poll the CAP feed into a new store, in the background, from now on."""
    connectors, service = resources.connectors(), resources.registry.service

    def runtime() -> ConnectorRuntime | None:
        return connectors["cap_alerts"] if connectors and "cap_alerts" in connectors else None

    poller = AlertPoller(
        AlertStore(),
        runtime,
        lambda: service.snapshot if service.loaded else None,
        every_seconds=settings.alerts_poll_seconds,
    )
    poller.start()
    return poller


async def _start_registry(
    settings: Settings, engine: AsyncEngine, registry: Registry
) -> asyncio.Task[None]:
    await migrate(engine)
    if settings.load_registry_if_empty and await latest_release(engine) is None:
        result = await load_registry(engine, read_geothai())
        log.info("registry was empty: loaded release %s from geothai", result.release.version)
    await registry.refresh()
    if registry.service.loaded:
        log.info("serving registry release %s", registry.service.snapshot.release.version)
    return asyncio.create_task(_poll(registry, settings.registry_poll_seconds))


async def _poll(registry: Registry, every: float) -> None:
    """Swap in a new release when another process loads one."""
    while True:
        await asyncio.sleep(every)
        try:
            if await registry.refresh():
                version = registry.service.snapshot.release.version
                log.info("now serving registry release %s", version)
        except Exception:  # a failed poll must not end polling; the next one tries again
            log.exception("could not check for a new registry release")
