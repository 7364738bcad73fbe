"""Metropolitan Waterworks Authority (MWA): water outages near a point.

Contract:

- [known] ``GET /api/mobile/no-water-running-area/latitude/{lat}/longitude/{lon}`` -> a JSON
  array of ``{areaName, startDate, endDate, soi, reason, impactBranches[], polygons[
  {coordinates[{latitude, longitude}]}]}``, coordinates as strings, nearest first;
- [assumed] ``startDate``/``endDate`` are Bangkok local times without an offset; "near" is a
  radius of a few kilometres; ``areaName`` is ``แขวง<subdistrict> <district>`` (``ตำบล`` outside
  Bangkok); MWA gives no DOPA code and no notice id, so ours is built from the area and start.

MWA cannot be asked by area code: the caller needs a point for each subdistrict, and one
request per point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse
from gateway.connectors.utility_types import UtilityOutage, parse_time

__all__ = ["NAME", "PATH", "MwaClient", "map_item", "map_outages", "names_area"]

NAME = "mwa"
PATH = "/api/mobile/no-water-running-area/latitude/{lat}/longitude/{lon}"
_PREFIXES = ("แขวง", "ตำบล")


class MwaClient:
    """MWA's outages near one point (one request per distinct point)."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def outages_near(self, lat: float, lon: float) -> Fetched[tuple[UtilityOutage, ...]]:
        """The outages MWA reports near ``(lat, lon)``, nearest first."""
        path = PATH.format(lat=f"{lat:.6f}", lon=f"{lon:.6f}")
        request = UpstreamRequest(path=path, request_id=self._request_id)
        return await self._runtime.fetch(request, parse=map_outages, cache_key=path)


def map_item(item: Mapping[str, Any]) -> UtilityOutage:
    """One MWA notice as ours: no area code (MWA gives none), ``planned`` unknown."""
    starts_at = parse_time(item["startDate"])
    name = str(item["areaName"])
    return UtilityOutage(
        outage_id=f"MWA-{starts_at:%Y%m%d%H%M}-{name}",
        title=f"{name} {item.get('soi') or ''}".strip(),
        reason=str(item["reason"]),
        planned=None,
        starts_at=starts_at,
        ends_at=parse_time(item["endDate"]),
        area_codes=(),
        area_names=(name,),
    )


def map_outages(response: UpstreamResponse) -> tuple[UtilityOutage, ...]:
    """The JSON array as ours, in MWA's order."""
    items = response.json()
    if not isinstance(items, list):
        raise TypeError("MWA answers a JSON array")
    return tuple(map_item(item) for item in items)


def names_area(outage: UtilityOutage, subdistrict: str, district: str) -> bool:
    """Whether an MWA notice's ``areaName`` names this subdistrict of this district (Thai names)."""
    wanted = {f"{prefix}{subdistrict} {district}" for prefix in _PREFIXES}
    return any(name.strip() in wanted for name in outage.area_names)
