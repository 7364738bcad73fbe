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

from collections.abc import Mapping
from typing import Any

from gateway.connectors.area_batch import AreaBatchClient, map_chargers
from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import UpstreamResponse
from gateway.connectors.utility_types import UtilityOutage, parse_time

__all__ = ["NAME", "PeaClient", "map_chargers", "map_notice", "map_notices"]

NAME = "pea"


class PeaClient(AreaBatchClient):
    """PEA's notices and chargers for a batch of area codes (one request per call)."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        super().__init__(runtime, map_notice, request_id)


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
