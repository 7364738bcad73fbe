"""The ASGI application: routes, and the lifespan that opens and closes shared resources."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from opentelemetry.trace import TracerProvider
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from central_codes.database import create_engine, migrate
from central_codes.loading import latest_release, load_registry
from central_codes.snapshot import RegistryService
from central_codes.sources.geothai_package import read_geothai
from gateway.access import AccessGate
from gateway.access.gate import access_checks
from gateway.agencies import AgencyLinks, open_agencies
from gateway.alerts import AlertPoller, AlertStore, alert_events
from gateway.audit import AuditTrail
from gateway.complaints import Complaints
from gateway.connectors import ConnectorRuntime, Connectors
from gateway.execution import Executor
from gateway.http.front_door import FrontDoor, GatewayApp
from gateway.http.graphql import GraphQLEndpoint
from gateway.http.health import Health
from gateway.http.metrics import MetricsEndpoint
from gateway.http.observed import RequestObserver
from gateway.http.open_data import open_data_routes
from gateway.http.subscriptions import SubscriptionEndpoint
from gateway.limits import OperationLimits
from gateway.outbox import OutboxPolicy, OutboxWorker
from gateway.persisted import PersistedDocuments, open_store, read_manifest
from gateway.ratings import Ratings
from gateway.registry import Registry
from gateway.schema import build_schema
from gateway.schema.fast_paths import registry_fields
from gateway.service_points import ServicePointDirectory
from gateway.settings import Settings
from gateway.shared_state import SharedRedis, open_redis
from gateway.telemetry import GatewayMetrics, otlp_provider, tracer_of
from gateway.telemetry.tracing import shutdown as shutdown_tracing

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
    audit: AuditTrail | None = None
    service_points: ServicePointDirectory | None = None

    def connectors(self) -> Connectors | None:
        """The connectors, once the lifespan has opened them."""
        return None if self.agencies is None else self.agencies.connectors

    def session(self) -> aiohttp.ClientSession | None:
        """The process's HTTP session, once the lifespan has opened it."""
        return None if self.agencies is None else self.agencies.session

    def alert_poller(self) -> AlertPoller | None:
        """The disaster-alert poller (and its store), once the lifespan has started it."""
        return self.alerts


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], float] = time.time,
    tracer_provider: TracerProvider | None = None,
    metrics_dir: str | None = None,
) -> Starlette:
    """The gateway as an ASGI app; nothing is opened until the lifespan starts.

    ``clock`` (seconds) times the rate-limit buckets; tests give their own.
    ``tracer_provider``: where spans go (default: OTLP when ``otlp_endpoint`` is set, else
    nowhere). ``metrics_dir``: Prometheus' multiprocess directory, when workers share a port.
    """
    provider = tracer_provider or otlp_provider(settings.otlp_endpoint)
    tracer, metrics = tracer_of(provider), GatewayMetrics(metrics_dir)
    engine = create_engine(settings.database_url)
    registry = Registry(RegistryService(engine))
    schema = build_schema()._schema
    executor = Executor(
        schema,
        registry_fields(schema),
        document_cache_size=settings.document_cache_size,
        response_cache_size=settings.response_cache_size,
        limits=_limits(settings),
    )
    resources = Resources(engine, registry, open_redis(settings.redis_url, settings.redis_prefix))
    audit = resources.audit = AuditTrail(engine)
    outbox = resources.outbox = OutboxWorker(engine, _outbox_policy(settings))
    complaints = Complaints(engine, outbox, lambda: _runtime(resources, "complaints_1567"))
    points = resources.service_points = ServicePointDirectory(
        lambda: _runtime(resources, "citizeninfo"),
        every_seconds=settings.service_points_refresh_seconds,
    )
    ratings = Ratings(
        engine, outbox, lambda: _runtime(resources, "citizeninfo"), lambda: points.index
    )
    endpoint = GraphQLEndpoint(
        executor,
        registry,
        resources.connectors,
        graphiql=settings.graphiql,
        max_body_bytes=settings.max_body_bytes,
        deadline_seconds=settings.request_deadline_seconds,
        persisted=_persisted(settings, resources.redis),
        persisted_max_age=settings.persisted_max_age_seconds,
        alerts=resources.alert_poller,
        complaints=complaints,
        ratings=ratings,
        audit=audit,
        anonymous_introspection=not settings.production,
        observer=RequestObserver(metrics, tracer if provider else None),
        service_points=points,
    )
    access = access_checks(settings, engine, resources.redis, resources.session, clock=clock)
    live = SubscriptionEndpoint(
        endpoint,
        executor,
        registry,
        access,
        max_operations=settings.subscriptions_per_connection,
        init_seconds=settings.subscription_init_seconds,
    )
    health = Health(engine, registry)
    routes = [
        # GraphQL over HTTP on /graphql: served by the front door itself (FrontDoor below)
        WebSocketRoute("/graphql", live),
        Route("/healthz", health.live, methods=["GET"]),
        Route("/readyz", health.ready, methods=["GET"]),
        Route("/metrics", MetricsEndpoint(metrics, outbox, resources.connectors).scrape),
        *open_data_routes(points, registry),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.resources = resources
        poller = await _start_registry(settings, engine, registry)
        snapshot = registry.service.snapshot if registry.service.loaded else None
        resources.agencies = await open_agencies(
            settings, snapshot, resources.redis, observer=metrics.connector, tracer=tracer
        )
        resources.alerts = await _start_alerts(settings, resources)
        outbox.start()
        audit.start()
        points.start()
        try:
            yield
        finally:
            await _flush(outbox)
            await _close(resources, poller)
            metrics.close()
            shutdown_tracing(provider)

    gate = AccessGate(access.authenticator, access.limiter)
    door = functools.partial(FrontDoor, gate=gate, trail=audit, graphql=endpoint)
    return GatewayApp(door, routes=routes, lifespan=lifespan)


async def _flush(outbox: OutboxWorker) -> None:
    """Deliver what is due while the agencies are still reachable."""
    report = await outbox.stop()
    log.info(
        "shutting down: outbox flushed (%d delivered, %d to retry after restart)",
        len(report.delivered),
        len(report.retried),
    )


async def _close(resources: Resources, poller: asyncio.Task[None]) -> None:
    if resources.alerts is not None:
        await resources.alerts.stop()
    if resources.service_points is not None:
        await resources.service_points.stop()
    poller.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await poller
    if resources.agencies is not None:
        await resources.agencies.close()
    if resources.redis is not None:
        await resources.redis.close()
    if resources.audit is not None:
        await resources.audit.close()  # writes every record still queued
    await resources.engine.dispose()


def _runtime(resources: Resources, name: str) -> ConnectorRuntime | None:
    connectors = resources.connectors()
    return connectors[name] if connectors and name in connectors else None


def _persisted(settings: Settings, redis: SharedRedis | None) -> PersistedDocuments:
    path = settings.trusted_documents_manifest
    return PersistedDocuments(
        open_store(redis, settings.document_cache_size),
        read_manifest(Path(path)) if path else {},
        trusted_only=settings.trusted_documents,
    )


def _limits(settings: Settings) -> OperationLimits:
    return OperationLimits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_cost,
    )


def _outbox_policy(settings: Settings) -> OutboxPolicy:
    return OutboxPolicy(
        poll_seconds=settings.outbox_poll_seconds,
        backoff_seconds=settings.outbox_backoff_seconds,
        backoff_max_seconds=settings.outbox_backoff_max_seconds,
        lease_seconds=settings.outbox_lease_seconds,
        flush_seconds=settings.outbox_flush_seconds,
    )


async def _start_alerts(settings: Settings, resources: Resources) -> AlertPoller:
    """Poll the CAP feed into a new store, in the background, publishing what is new."""
    connectors, service = resources.connectors(), resources.registry.service

    def runtime() -> ConnectorRuntime | None:
        return connectors["cap_alerts"] if connectors and "cap_alerts" in connectors else None

    poller = AlertPoller(
        AlertStore(),
        runtime,
        lambda: service.snapshot if service.loaded else None,
        every_seconds=settings.alerts_poll_seconds,
        events=alert_events(resources.redis),
    )
    await poller.events.open()
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
