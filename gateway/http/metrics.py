"""``GET /metrics``: the gateway's counters in Prometheus' text format."""

from __future__ import annotations

import logging
from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response

from gateway.connectors import Connectors
from gateway.outbox import OutboxWorker
from gateway.outbox.queue import OutboxDepth
from gateway.telemetry.metrics import GatewayMetrics

__all__ = ["MetricsEndpoint"]

log = logging.getLogger("gateway.metrics")


class MetricsEndpoint:
    """Answers a scrape: the counters, this process's breakers, and the outbox read now."""

    def __init__(
        self,
        metrics: GatewayMetrics,
        outbox: OutboxWorker,
        connectors: Callable[[], Connectors | None],
    ) -> None:
        self._metrics = metrics
        self._outbox = outbox
        self._connectors = connectors

    async def scrape(self, _request: Request) -> Response:
        """The exposition text."""
        for runtime in self._connectors() or ():
            self._metrics.circuit(runtime.name, runtime.breaker.state.value)
        body = self._metrics.exposition(await self._depth())
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    async def _depth(self) -> list[OutboxDepth]:
        try:
            return await self._outbox.depth()
        except SQLAlchemyError:  # a scrape still shows the counters while the database is away
            log.warning("could not read the outbox depth for /metrics")
            return []
