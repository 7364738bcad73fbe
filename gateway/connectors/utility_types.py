"""What the water and electricity connectors (MWA, PWA, MEA, PEA) return: outages and EV chargers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BANGKOK",
    "MAX_AREA_CODES",
    "ChargerConnector",
    "EvCharger",
    "UtilityOutage",
    "map_charger",
    "parse_time",
]

BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")
MAX_AREA_CODES = 100  # the most codes one batch request of MEA, PEA or PWA takes


@dataclass(frozen=True, slots=True)
class UtilityOutage:
    """One water or power interruption notice; ``planned`` None when the agency does not say."""

    outage_id: str
    title: str
    reason: str
    planned: bool | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    area_codes: tuple[str, ...]
    area_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChargerConnector:
    """One plug of a charging station."""

    type: str
    power_kw: float
    status: str


@dataclass(frozen=True, slots=True)
class EvCharger:
    """One EV charging station (OCPI-like) in one subdistrict."""

    charger_id: str
    name: str
    lat: float
    lon: float
    operator: str
    area_code: str
    connectors: tuple[ChargerConnector, ...]


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 time; one without an offset is Bangkok time."""
    found = dt.datetime.fromisoformat(text)
    return found if found.tzinfo is not None else found.replace(tzinfo=BANGKOK)


def map_charger(item: Mapping[str, Any]) -> EvCharger:
    """``{id, name, lat, lon, connectors[{type, powerKw, status}], operator, areaCode}``."""
    return EvCharger(
        charger_id=str(item["id"]),
        name=str(item["name"]),
        lat=float(item["lat"]),
        lon=float(item["lon"]),
        operator=str(item["operator"]),
        area_code=str(item["areaCode"]),
        connectors=tuple(
            ChargerConnector(str(c["type"]), float(c["powerKw"]), str(c["status"]))
            for c in item["connectors"]
        ),
    )
