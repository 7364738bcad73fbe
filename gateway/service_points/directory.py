"""Keeps the service-point index current: :class:`ServicePointDirectory`.

At start-up it pages through CITIZENinfo's whole export in the background, then again every
``every_seconds``; each complete read becomes a new :class:`ServicePointIndex`, swapped in whole,
so a request sees one consistent index. A read that fails keeps the index it had (its
``asOf`` tells how old it is) and is logged; before the first complete read, :meth:`require`
answers the failure (or UPSTREAM_UNAVAILABLE while loading), which the graph shows as that
field's error.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.citizeninfo import NAME, CitizenInfoClient, ServicePointRecord
from gateway.errors import UpstreamError, UpstreamUnavailable
from gateway.repeating import Repeating
from gateway.service_points.index import ServicePointIndex

__all__ = ["PAGE_SIZE", "ServicePointDirectory"]

log = logging.getLogger("gateway.service_points")
_LOADING_RETRY_SECONDS = 5
# Small pages keep each parse short, so the requests served meanwhile are not held up by it.
PAGE_SIZE = 1000


class ServicePointDirectory:
    """The current :class:`ServicePointIndex`, read from the ``citizeninfo`` connector."""

    def __init__(
        self,
        runtime: Callable[[], ConnectorRuntime | None],
        *,
        every_seconds: float,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._runtime, self._page_size = runtime, page_size
        self.index: ServicePointIndex | None = None
        self.error: UpstreamError | None = None
        self._lock = asyncio.Lock()
        self._repeating = Repeating(
            self.refresh,
            every_seconds=every_seconds,
            log=log,
            failure="could not index service points",
        )

    def start(self) -> None:
        """Read the export now, then every ``every_seconds``, in the background."""
        self._repeating.start()

    async def stop(self) -> None:
        """Cancel the background reading and wait for it to end."""
        await self._repeating.stop()

    def require(self) -> ServicePointIndex:
        """The index; before the first complete read, the error that stands in for it."""
        if self.index is not None:
            return self.index
        if self.error is not None:
            raise self.error
        raise UpstreamUnavailable(
            "service points are still being read from CITIZENinfo",
            connector=NAME,
            retryAfter=_LOADING_RETRY_SECONDS,
        )

    async def read_once(self) -> ServicePointIndex | None:
        """The index, read now if none was read yet; callers at the same moment share one read."""
        if self.index is None:
            async with self._lock:
                if self.index is None:
                    await self._refresh_locked()
        return self.index

    async def refresh(self) -> ServicePointIndex | None:
        """Read the whole export once and swap it in; None (index kept) when the read failed."""
        async with self._lock:
            return await self._refresh_locked()

    async def _refresh_locked(self) -> ServicePointIndex | None:
        runtime = self._runtime()
        if runtime is None:
            self.error = UpstreamUnavailable("the connector is not open", connector=NAME)
            return None
        try:
            self.index = await self._read(CitizenInfoClient(runtime))
        except UpstreamError as error:
            log.warning("could not read CITIZENinfo's service points: %s (%s)", error, error.code)
            self.error = error
            return None
        self.error = None
        log.info("service points: %d read from CITIZENinfo", len(self.index))
        return self.index

    async def _read(self, client: CitizenInfoClient) -> ServicePointIndex:
        points: dict[str, tuple[ServicePointRecord, dt.datetime]] = {}
        number = 1
        while True:
            fetched = await client.page(number, size=self._page_size)
            points.update((p.point_id, (p, fetched.as_of)) for p in fetched.value.items)
            if fetched.value.last:
                # sorting and gridding 60,000 points: off the event loop, which keeps answering
                return await asyncio.to_thread(ServicePointIndex, points.values())
            number += 1
