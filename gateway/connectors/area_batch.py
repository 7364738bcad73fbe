"""The batch-by-area-code client MEA and PEA share: outages and EV chargers for many codes.

Both [assumed] contracts take ``?areaCode=a,b`` (up to 100 codes) on ``/api/outages`` and
``/api/ev-chargers`` and answer ``{"outages": [...]}`` and ``{"chargers": [...]}``; only the
shape of an outage differs, so each agency module gives its own outage mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse
from gateway.connectors.utility_types import EvCharger, UtilityOutage, map_charger

__all__ = ["AreaBatchClient", "map_chargers"]

T = TypeVar("T")


def map_chargers(response: UpstreamResponse) -> tuple[EvCharger, ...]:
    """``{"chargers": [...]}`` as ours."""
    return tuple(map_charger(item) for item in response.json()["chargers"])


class AreaBatchClient:
    """Outages and chargers for a batch of area codes (one request per call)."""

    def __init__(
        self,
        runtime: ConnectorRuntime,
        map_outage: Callable[[Mapping[str, Any]], UtilityOutage],
        request_id: str | None = None,
    ) -> None:
        self._runtime = runtime
        self._map_outage = map_outage
        self._request_id = request_id

    async def outages(self, codes: Sequence[str]) -> Fetched[tuple[UtilityOutage, ...]]:
        """Every outage touching a subdistrict under any of ``codes``."""
        return await self._get("/api/outages", codes, self._outages)

    async def chargers(self, codes: Sequence[str]) -> Fetched[tuple[EvCharger, ...]]:
        """Every EV charger under any of ``codes``."""
        return await self._get("/api/ev-chargers", codes, map_chargers)

    def _outages(self, response: UpstreamResponse) -> tuple[UtilityOutage, ...]:
        return tuple(self._map_outage(item) for item in response.json()["outages"])

    async def _get(
        self, path: str, codes: Sequence[str], parse: Callable[[UpstreamResponse], T]
    ) -> Fetched[T]:
        joined = ",".join(codes)
        request = UpstreamRequest(
            path=path, params={"areaCode": joined}, request_id=self._request_id
        )
        return await self._runtime.fetch(request, parse=parse, cache_key=f"{path}?{joined}")
