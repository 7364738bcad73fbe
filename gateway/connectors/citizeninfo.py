"""CITIZENinfo (OPDC and DGA): about 60,000 government service points, and their ratings.

Contract: [assumed] throughout (no public interface was found; to be confirmed with OPDC/DGA):

- ``GET /api/service-points?page=1&pageSize=1000[&tambonCodes=a,b]`` -> ``{page, pageSize,
  total, items[]}``, points in export order; the gateway pages through it to build its index.
- ``GET /api/service-points/{pointId}`` -> one point; 404 when unknown.
- a point: ``{pointId (uuid), name, orgCode, lat, lon, tambonCode, procedures[{procedureId}],
  noCopy, satisfaction{score, count}}``; ``lat``/``lon`` may come as strings, ``score`` is null
  before the first rating. Procedure ids are info.go.th's ``ProcedureID``.
- ``POST /api/service-points/{pointId}/ratings`` with ``{score 1-5, comment, clientReference}``
  -> 201 ``{ratingId, pointId, score, comment, clientReference, createdAt}``; idempotent on
  ``clientReference`` (the same reference again answers the same rating with the header
  ``Idempotent-Replayed: true``); 409 when the reference holds another rating, 404 for an
  unknown point, 422 for an invalid body; errors ``{"error": {"code", "message", "field"?}}``.
  A rating is never retried by the runtime: the outbox that calls :meth:`CitizenInfoClient.rate`
  owns the retries and sends our rating id as ``clientReference``, so a repeat is harmless.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import (
    Fetched,
    Refused,
    UpstreamRequest,
    UpstreamResponse,
    required_text,
)

__all__ = [
    "NAME",
    "PAGE_SIZE",
    "AgencyRating",
    "CitizenInfoClient",
    "PointsPage",
    "Refused",
    "ServicePointRecord",
    "map_page",
    "map_point",
    "map_point_response",
    "map_rating",
]

NAME = "citizeninfo"
PAGE_SIZE = 5000  # the largest page CITIZENinfo serves: 12 pages for the whole country
_REFUSALS = frozenset({404, 409, 422})  # a rating refused for good: sending it again cannot help


@dataclass(frozen=True, slots=True)
class ServicePointRecord:
    """One service point as CITIZENinfo publishes it.

    ``score`` is the agency's mean satisfaction (1-5), None before the first rating;
    ``rating_count`` how many ratings it is the mean of.
    """

    point_id: str
    name: str
    org_code: str
    lat: float
    lon: float
    tambon_code: str
    procedure_ids: tuple[int, ...]
    no_copy: bool
    score: float | None
    rating_count: int


@dataclass(frozen=True, slots=True)
class PointsPage:
    """One page of the export; ``total`` counts every point the listing holds."""

    page: int
    page_size: int
    total: int
    items: tuple[ServicePointRecord, ...]

    @property
    def last(self) -> bool:
        """Is this the last page (nothing after it)?"""
        return self.page * self.page_size >= self.total or not self.items


@dataclass(frozen=True, slots=True)
class AgencyRating:
    """A rating as CITIZENinfo stored it."""

    rating_id: str
    point_id: str
    score: int
    client_reference: str
    replayed: bool  # the agency already had it: this answer stored nothing new


class CitizenInfoClient:
    """CITIZENinfo's paged export, single points, and ratings handed over."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def page(
        self, page: int, *, size: int = PAGE_SIZE, tambon_codes: Sequence[str] = ()
    ) -> Fetched[PointsPage]:
        """One page of points (only those of ``tambon_codes`` when given); never cached."""
        params = {"page": str(page), "pageSize": str(size)}
        if tambon_codes:
            params["tambonCodes"] = ",".join(tambon_codes)
        request = UpstreamRequest(
            path="/api/service-points", params=params, request_id=self._request_id
        )
        return await self._runtime.fetch(request, parse=map_page)

    async def point(self, point_id: str) -> Fetched[ServicePointRecord | None]:
        """One point by its id; None when CITIZENinfo does not know it."""
        request = UpstreamRequest(
            path=f"/api/service-points/{quote(point_id, safe='')}",
            request_id=self._request_id,
            handled_statuses=frozenset({404}),
        )
        return await self._runtime.fetch(
            request, parse=map_point_response, cache_key=f"point:{point_id}"
        )

    async def rate(self, point_id: str, body: Mapping[str, Any]) -> AgencyRating | Refused:
        """Hand one rating over: ``body`` is ``{score, comment, clientReference}``."""
        request = UpstreamRequest(
            method="POST",
            path=f"/api/service-points/{quote(point_id, safe='')}/ratings",
            json=dict(body),
            request_id=self._request_id,
            idempotent=False,  # the outbox retries, with backoff that survives a restart
            handled_statuses=_REFUSALS,
        )
        fetched = await self._runtime.fetch(request, parse=_rating)
        return fetched.value


def _coordinate(value: Any, limit: float) -> float:
    number = float(value)  # strings too: some exports quote their numbers
    if not math.isfinite(number) or abs(number) > limit:
        raise ValueError("coordinate out of range")
    return number


def _score(value: Any) -> float | None:
    return None if value is None else float(value)


def map_point(item: Mapping[str, Any]) -> ServicePointRecord:
    """One point of the payload as ours (text interned: 60,000 points share few codes)."""
    satisfaction = item.get("satisfaction") or {}
    return ServicePointRecord(
        point_id=str(item["pointId"]),
        name=str(item["name"]).strip(),
        org_code=sys.intern(str(item["orgCode"])),
        lat=_coordinate(item["lat"], 90.0),
        lon=_coordinate(item["lon"], 180.0),
        tambon_code=sys.intern(str(item["tambonCode"])),
        procedure_ids=tuple(int(p["procedureId"]) for p in item["procedures"]),
        no_copy=bool(item["noCopy"]),
        score=_score(satisfaction.get("score")),
        rating_count=int(satisfaction.get("count") or 0),
    )


def map_page(response: UpstreamResponse) -> PointsPage:
    """``{page, pageSize, total, items[]}`` as ours."""
    payload = response.json()
    return PointsPage(
        page=int(payload["page"]),
        page_size=int(payload["pageSize"]),
        total=int(payload["total"]),
        items=tuple(map_point(item) for item in payload["items"]),
    )


def map_point_response(response: UpstreamResponse) -> ServicePointRecord | None:
    """One point, or None for a 404."""
    if response.status == 404:
        return None
    return map_point(response.json())


def map_rating(status: int, payload: Any, *, replayed: bool = False) -> AgencyRating | Refused:
    """The stored rating from a 201, the refusal from a 404, 409 or 422."""
    if status in _REFUSALS:
        return Refused.of(status, payload)
    score = payload["score"]
    if isinstance(score, bool) or not isinstance(score, int):
        raise TypeError("score is not an integer")
    return AgencyRating(
        rating_id=required_text(payload["ratingId"], "ratingId"),
        point_id=required_text(payload["pointId"], "pointId"),
        score=score,
        client_reference=required_text(payload["clientReference"], "clientReference"),
        replayed=replayed,
    )


def _rating(response: UpstreamResponse) -> AgencyRating | Refused:
    replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
    return map_rating(response.status, response.json(), replayed=replayed)
