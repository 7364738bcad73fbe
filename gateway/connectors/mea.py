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

from collections.abc import Mapping
from typing import Any

from gateway.connectors.area_batch import AreaBatchClient, map_chargers
from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import UpstreamResponse
from gateway.connectors.utility_types import UtilityOutage, parse_time

__all__ = ["NAME", "MeaClient", "map_chargers", "map_outage", "map_outages"]

NAME = "mea"


class MeaClient(AreaBatchClient):
    """MEA's outages and chargers for a batch of area codes (one request per call)."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        super().__init__(runtime, map_outage, request_id)


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
