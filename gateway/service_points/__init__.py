"""Government service points: CITIZENinfo's whole export held in memory, indexed by id, by
area, by procedure and by place, and kept current in the background."""

from __future__ import annotations

from gateway.service_points.directory import ServicePointDirectory
from gateway.service_points.index import Nearby, ServicePointIndex, haversine_km

__all__ = ["Nearby", "ServicePointDirectory", "ServicePointIndex", "haversine_km"]
