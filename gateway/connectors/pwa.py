"""Provincial Waterworks Authority (PWA): the branch serving an area, and outage notices.

Contract: [assumed] throughout (no public interface was found; to be confirmed with PWA):

- ``GET /api/branches/by-area/{tambonCode}`` -> ``{branchCode, name, region, provinceCode,
  districtCodes[]}``; 404 for an area PWA does not serve (Bangkok, Samut Prakan, Nonthaburi);
- ``GET /api/outages?tambonCode=a,b`` (up to 100 codes of any level) -> ``{"outages": [
  {noticeId, branchCode, title, reason, planned, startAt, endAt, affectedAreas[{tambonCode,
  name}]}]}``, times ISO 8601 with ``+07:00``. Notices are also served per branch
  (``/api/branches/{code}/outages``); the gateway asks the batch, one request per 100 codes,
  rather than one per branch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse
from gateway.connectors.utility_types import UtilityOutage, parse_time

__all__ = ["NAME", "PwaBranch", "PwaClient", "map_branch", "map_notice", "map_notices"]

NAME = "pwa"


@dataclass(frozen=True, slots=True)
class PwaBranch:
    """A PWA branch (7-digit code) and the DOPA districts it serves."""

    code: str
    name: str
    region: int
    province_code: str
    district_codes: tuple[str, ...]


class PwaClient:
    """PWA's branch of an area, and outage notices for a batch of area codes."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def branch_for(self, code: str) -> Fetched[PwaBranch | None]:
        """The branch serving a subdistrict or district; None where PWA does not serve."""
        request = UpstreamRequest(
            path=f"/api/branches/by-area/{code}",
            request_id=self._request_id,
            handled_statuses=frozenset({404}),
        )
        return await self._runtime.fetch(request, parse=map_branch, cache_key=f"branch:{code}")

    async def outages(self, codes: Sequence[str]) -> Fetched[tuple[UtilityOutage, ...]]:
        """Every notice touching a subdistrict under any of ``codes``."""
        joined = ",".join(codes)
        request = UpstreamRequest(
            path="/api/outages", params={"tambonCode": joined}, request_id=self._request_id
        )
        return await self._runtime.fetch(request, parse=map_notices, cache_key=f"outages:{joined}")


def map_branch(response: UpstreamResponse) -> PwaBranch | None:
    """A branch, or None for a 404."""
    if response.status == 404:
        return None
    item = response.json()
    return PwaBranch(
        code=str(item["branchCode"]),
        name=str(item["name"]),
        region=int(item["region"]),
        province_code=str(item["provinceCode"]),
        district_codes=tuple(str(c) for c in item["districtCodes"]),
    )


def map_notice(item: Mapping[str, Any]) -> UtilityOutage:
    """One PWA notice as ours."""
    return UtilityOutage(
        outage_id=str(item["noticeId"]),
        title=str(item["title"]),
        reason=str(item["reason"]),
        planned=bool(item["planned"]),
        starts_at=parse_time(item["startAt"]),
        ends_at=parse_time(item["endAt"]),
        area_codes=tuple(str(a["tambonCode"]) for a in item["affectedAreas"]),
        area_names=tuple(str(a["name"]) for a in item["affectedAreas"]),
    )


def map_notices(response: UpstreamResponse) -> tuple[UtilityOutage, ...]:
    """``{"outages": [...]}`` as ours."""
    return tuple(map_notice(item) for item in response.json()["outages"])
