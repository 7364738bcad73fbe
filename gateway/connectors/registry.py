"""All connector runtimes of one process: :class:`Connectors`, and the one HTTP session they share."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import aiohttp

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.cache import Cache
from gateway.connectors.config import ConnectorSettings
from gateway.connectors.metrics import ConnectorStatus

__all__ = ["Connectors", "client_session"]

USER_AGENT = "moi-gateway/0.1"


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
    ("not configured"), so the graph reports it like any other agency failure.
    """

    def __init__(
        self,
        settings: Mapping[str, ConnectorSettings],
        session: aiohttp.ClientSession,
        cache: Cache,
    ) -> None:
        self._runtimes = {
            name: ConnectorRuntime(connector, session, cache=cache)
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
