"""The agency connectors and the runtime they share.

One module per agency holds a typed client over :class:`ConnectorRuntime` and pure ``map_*``
functions; the runtime (``base``) does timeouts, retries, the circuit breaker, the bulkhead,
caching, single-flight, metrics and error mapping for all of them.
"""

from __future__ import annotations

from gateway.connectors.base import ConnectorRuntime, Reauthorize
from gateway.connectors.breaker import CircuitBreaker, CircuitState
from gateway.connectors.cache import Cache, CacheEntry, MemoryCache
from gateway.connectors.config import CONNECTOR_PREFIX, ConnectorSettings, connector_settings
from gateway.connectors.messages import Fetched, Freshness, UpstreamRequest, UpstreamResponse
from gateway.connectors.metrics import ConnectorMetrics, ConnectorStatus, LastError
from gateway.connectors.registry import Connectors, client_session

__all__ = [
    "CONNECTOR_PREFIX",
    "Cache",
    "CacheEntry",
    "CircuitBreaker",
    "CircuitState",
    "ConnectorMetrics",
    "ConnectorRuntime",
    "ConnectorSettings",
    "ConnectorStatus",
    "Connectors",
    "Fetched",
    "Freshness",
    "LastError",
    "MemoryCache",
    "Reauthorize",
    "UpstreamRequest",
    "UpstreamResponse",
    "client_session",
    "connector_settings",
]
