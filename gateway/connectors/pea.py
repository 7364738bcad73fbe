"""Provincial Electricity Authority (PEA): outage notices and PEA VOLTA chargers by DOPA area code.

Contract: [assumed] throughout (no public interface was found; to be confirmed with PEA):

- ``GET /api/outages?areaCode=a,b`` (up to 100 codes of any level) -> ``{"outages": [{noticeId,
  officeCode, officeName, title, cause, startTime, endTime, affectedAreas[{areaCode, name}]}]}``;
- ``GET /api/ev-chargers?areaCode=a,b`` -> ``{"chargers": [{id, name, lat, lon, connectors[
  {type, powerKw, status}], operator, areaCode}]}``;
- notices are also served per PEA office (``/api/offices/{code}/outages``); the gateway uses
  the batch by area code, which needs no office table;
- Bangkok, Samut Prakan and Nonthaburi are MEA's: codes there answer nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse
from gateway.connectors.utility_types import EvCharger, UtilityOutage, map_charger, parse_time

__all__ = ["NAME", "PeaClient", "map_chargers", "map_notice", "map_notices"]

NAME = "pea"
T = TypeVar("T")


class PeaClient:
    """PEA's notices and chargers for a batch of area codes (one request per call)."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def outages(self, codes: Sequence[str]) -> Fetched[tuple[UtilityOutage, ...]]:
        """Every notice touching a subdistrict under any of ``codes``."""
        return await self._get("/api/outages", codes, map_notices)

    async def chargers(self, codes: Sequence[str]) -> Fetched[tuple[EvCharger, ...]]:
        """Every PEA VOLTA charger under any of ``codes``."""
        return await self._get("/api/ev-chargers", codes, map_chargers)

    async def _get(
        self, path: str, codes: Sequence[str], parse: Callable[[UpstreamResponse], T]
    ) -> Fetched[T]:
        joined = ",".join(codes)
        request = UpstreamRequest(
            path=path, params={"areaCode": joined}, request_id=self._request_id
        )
        return await self._runtime.fetch(request, parse=parse, cache_key=f"{path}?{joined}")


def map_notice(item: Mapping[str, Any]) -> UtilityOutage:
    """One PEA notice as ours; PEA does not say whether it was planned."""
    return UtilityOutage(
        outage_id=str(item["noticeId"]),
        title=str(item["title"]),
        reason=str(item["cause"]),
        planned=None,
        starts_at=parse_time(item["startTime"]),
        ends_at=parse_time(item["endTime"]),
        area_codes=tuple(str(a["areaCode"]) for a in item["affectedAreas"]),
        area_names=tuple(str(a["name"]) for a in item["affectedAreas"]),
    )


def map_notices(response: UpstreamResponse) -> tuple[UtilityOutage, ...]:
    """``{"outages": [...]}`` as ours."""
    return tuple(map_notice(item) for item in response.json()["outages"])


def map_chargers(response: UpstreamResponse) -> tuple[EvCharger, ...]:
    """``{"chargers": [...]}`` as ours."""
    return tuple(map_charger(item) for item in response.json()["chargers"])
