"""All connector runtimes of one process: :class:`Connectors`, and the one HTTP session they share."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import aiohttp
from opentelemetry.trace import Tracer

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.cache import Cache
from gateway.connectors.config import ConnectorSettings
from gateway.connectors.metrics import CallObserver, ConnectorMetrics, ConnectorStatus
from gateway.errors import UpstreamUnavailable

__all__ = ["Connectors", "RuntimeSource", "client_session", "runtime_of"]

USER_AGENT = "moi-gateway/0.1"
# a connector's runtime once the lifespan has opened the connectors, None before
RuntimeSource = Callable[[], ConnectorRuntime | None]


def runtime_of(source: RuntimeSource, name: str) -> ConnectorRuntime:
    """The runtime ``source`` gives; UPSTREAM_UNAVAILABLE while the connectors are not open."""
    runtime = source()
    if runtime is None:
        raise UpstreamUnavailable("the connector is not open", connector=name)
    return runtime


def client_session(*, connections: int = 100, per_host: int = 0) -> aiohttp.ClientSession:
    """The process's one HTTP session for every agency (call inside the running event loop).

    Timeouts are set per request by each runtime; ``per_host`` 0 leaves each connector's
    bulkhead as the only per-agency limit.
    """
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=per_host, ttl_dns_cache=300)
    session = aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": USER_AGENT},
        raise_for_status=False,
        trust_env=False,
    )
    # aiohttp quietly sends an idempotent request a second time when the connection drops;
    # the runtime owns retries (counted, with backoff and a breaker), so that is switched off,
    # with the same switch aiohttp's own test client uses. Without it one drop costs two calls.
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False
    return session


class Connectors:
    """One :class:`ConnectorRuntime` per connector, sharing a session and a cache.

    Connectors without a URL get a runtime too: each call answers UPSTREAM_UNAVAILABLE
    ("not configured"), so the graph reports it like any other agency failure. ``observer``
    gives each connector's runtime where its outcomes are also reported (metrics), ``tracer``
    what its calls are spans of.
    """

    def __init__(
        self,
        settings: Mapping[str, ConnectorSettings],
        session: aiohttp.ClientSession,
        cache: Cache,
        observer: Callable[[str], CallObserver | None] = lambda _name: None,
        tracer: Tracer | None = None,
    ) -> None:
        self._runtimes = {
            name: ConnectorRuntime(
                connector,
                session,
                cache=cache,
                metrics=ConnectorMetrics(observer=observer(name)),
                tracer=tracer,
            )
            for name, connector in sorted(settings.items())
        }

    def __getitem__(self, name: str) -> ConnectorRuntime:
        try:
            return self._runtimes[name]
        except KeyError:
            known = ", ".join(self._runtimes) or "none"
            raise KeyError(f"no connector named {name!r} (known: {known})") from None

    def __iter__(self) -> Iterator[ConnectorRuntime]:
        return iter(self._runtimes.values())

    def __len__(self) -> int:
        return len(self._runtimes)

    def __contains__(self, name: object) -> bool:
        return name in self._runtimes

    def status(self) -> list[ConnectorStatus]:
        """Every connector's health, by name."""
        return [runtime.status() for runtime in self]
