"""Metropolitan Electricity Authority (MEA): power outages and EV chargers by DOPA area code.

MEA publishes open data through CKAN [known]; the outage and charger API below is [assumed]
(no public interface was found; to be confirmed with MEA):

- ``GET /api/outages?areaCode=a,b`` (up to 100 codes) -> ``{"outages": [{outageId, type
  ("planned" | "unplanned"), title, cause, startTime, endTime, areas[{areaCode, name}]}]}``;
- ``GET /api/ev-chargers?areaCode=a,b`` -> ``{"chargers": [{id, name, lat, lon, connectors[
  {type, powerKw, status}], operator, areaCode}]}``;
- codes outside Bangkok, Samut Prakan and Nonthaburi answer nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse
from gateway.connectors.utility_types import EvCharger, UtilityOutage, map_charger, parse_time

__all__ = ["NAME", "MeaClient", "map_chargers", "map_outage", "map_outages"]

NAME = "mea"
T = TypeVar("T")


class MeaClient:
    """MEA's outages and chargers for a batch of area codes (one request per call)."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def outages(self, codes: Sequence[str]) -> Fetched[tuple[UtilityOutage, ...]]:
        """Every outage touching a subdistrict under any of ``codes``."""
        return await self._get("/api/outages", codes, map_outages)

    async def chargers(self, codes: Sequence[str]) -> Fetched[tuple[EvCharger, ...]]:
        """Every MEA EV charger under any of ``codes``."""
        return await self._get("/api/ev-chargers", codes, map_chargers)

    async def _get(
        self, path: str, codes: Sequence[str], parse: Callable[[UpstreamResponse], T]
    ) -> Fetched[T]:
        joined = ",".join(codes)
        request = UpstreamRequest(
            path=path, params={"areaCode": joined}, request_id=self._request_id
        )
        return await self._runtime.fetch(request, parse=parse, cache_key=f"{path}?{joined}")


def map_outage(item: Mapping[str, Any]) -> UtilityOutage:
    """One MEA outage as ours."""
    return UtilityOutage(
        outage_id=str(item["outageId"]),
        title=str(item["title"]),
        reason=str(item["cause"]),
        planned={"planned": True, "unplanned": False}[item["type"]],
        starts_at=parse_time(item["startTime"]),
        ends_at=parse_time(item["endTime"]),
        area_codes=tuple(str(a["areaCode"]) for a in item["areas"]),
        area_names=tuple(str(a["name"]) for a in item["areas"]),
    )


def map_outages(response: UpstreamResponse) -> tuple[UtilityOutage, ...]:
    """``{"outages": [...]}`` as ours."""
    return tuple(map_outage(item) for item in response.json()["outages"])


def map_chargers(response: UpstreamResponse) -> tuple[EvCharger, ...]:
    """``{"chargers": [...]}`` as ours."""
    return tuple(map_charger(item) for item in response.json()["chargers"])
