"""Whether a service point exists, and CITIZENinfo's figure for it.

The service-point index answers first: it holds every point of CITIZENinfo's export with the
moment each was read, so a point is rated, and its average shown, without calling the agency
(also while it is down). A point the index does not hold (it is still loading, or the point is
newer than its last read) is read from CITIZENinfo through the connector, cached for the
connector's TTL and served stale while the agency is down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from gateway.connectors.citizeninfo import NAME, CitizenInfoClient, ServicePointRecord
from gateway.connectors.registry import RuntimeSource, runtime_of
from gateway.ratings.summary import AgencyFigure

__all__ = ["AgencyPoints", "PointIndex"]


class PointIndex(Protocol):
    """What the service-point index offers here: a point by id, and when it was read."""

    def get(self, point_id: str) -> ServicePointRecord | None:
        """The point, or None when the index does not hold it."""

    def read_at(self, point: ServicePointRecord) -> dt.datetime:
        """When CITIZENinfo gave the index this point's figure."""


def _no_index() -> PointIndex | None:
    return None


class AgencyPoints:
    """Points from the index when it holds them, else from CITIZENinfo one at a time."""

    def __init__(
        self, runtime: RuntimeSource, index: Callable[[], PointIndex | None] = _no_index
    ) -> None:
        self._runtime = runtime
        self._index = index

    async def figure(self, point_id: str, request_id: str | None) -> AgencyFigure | None:
        """The point's satisfaction and when it was read; None when the point is unknown.

        UPSTREAM_* when the index lacks the point, CITIZENinfo fails and nothing is cached.
        """
        index = self._index()
        held = None if index is None else index.get(point_id)
        if index is not None and held is not None:
            return AgencyFigure(held.score, held.rating_count, index.read_at(held))
        runtime = runtime_of(self._runtime, NAME)
        fetched = await CitizenInfoClient(runtime, request_id).point(point_id)
        point = fetched.value
        return (
            None if point is None else AgencyFigure(point.score, point.rating_count, fetched.as_of)
        )
