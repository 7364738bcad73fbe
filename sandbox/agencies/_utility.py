"""What the water and electricity sandboxes share: service areas, outages, EV chargers.

Everything is drawn from ``data.rng(agency, subdistrict code, ...)``; outages also depend on the
day (Bangkok time), so each day brings its own notices, the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from central_codes.records import AreaRecord
from sandbox import geo
from sandbox.agencies._thai_time import BANGKOK
from sandbox.data import SandboxData

__all__ = [
    "MAX_AREA_CODES",
    "METRO",
    "Charger",
    "Outage",
    "area_codes",
    "chargers_in",
    "distance_km",
    "json_response",
    "outages_in",
    "subdistricts_for",
]

METRO = ("10", "11", "12")  # Bangkok, Samut Prakan, Nonthaburi: MWA and MEA; PWA and PEA elsewhere
MAX_AREA_CODES = 100


@dataclass(frozen=True, slots=True)
class Outage:
    """One planned or unplanned interruption in one subdistrict."""

    outage_id: str
    area: AreaRecord
    start: dt.datetime
    end: dt.datetime
    reason: str
    planned: bool
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Charger:
    """One EV charging station, OCPI-like."""

    charger_id: str
    name: str
    lat: float
    lon: float
    connectors: tuple[tuple[str, int, str], ...]  # type, kW, status
    operator: str

    def as_json(self) -> dict[str, Any]:
        """``{id, name, lat, lon, connectors[{type, powerKw, status}], operator}``."""
        connectors = [{"type": t, "powerKw": kw, "status": s} for t, kw, s in self.connectors]
        return {
            "id": self.charger_id,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "connectors": connectors,
            "operator": self.operator,
        }


def outages_in(
    data: SandboxData,
    agency: str,
    area: AreaRecord,
    day: dt.date,
    share: float,
    reasons: Sequence[str],
) -> list[Outage]:
    """The outages of one subdistrict announced on ``day`` (``share`` of subdistricts have any)."""
    rng = data.rng(agency, area.code, day.isoformat())
    if rng.random() >= share:
        return []
    lat, lon = geo.point_for(data, area.code)
    found = []
    for n in range(rng.choice((1, 1, 1, 2))):
        start = dt.datetime.combine(day, dt.time(rng.choice((9, 10, 13, 22))), BANGKOK)
        start += dt.timedelta(days=rng.randint(0, 3))
        end = start + dt.timedelta(hours=rng.choice((3, 4, 6, 8, 12)))
        found.append(
            Outage(
                f"{day:%Y%m%d}-{area.code}-{n + 1}", area, start, end, rng.choice(reasons),
                rng.random() < 0.8,
                round(lat + rng.uniform(-0.004, 0.004), 6), round(lon + rng.uniform(-0.004, 0.004), 6),
            )
        )  # fmt: skip
    return found


_CONNECTORS = (("CCS2", (50, 60, 120, 150)), ("Type 2", (7, 11, 22)), ("CHAdeMO", (50,)))
_STATUSES = ("AVAILABLE",) * 7 + ("CHARGING",) * 2 + ("OUTOFORDER",)


def chargers_in(
    data: SandboxData, agency: str, area: AreaRecord, operator: str, per_area: Sequence[int]
) -> list[Charger]:
    """The chargers of one subdistrict: ``rng.choice(per_area)`` stations."""
    rng = data.rng(agency, area.code, "ev")
    lat, lon = geo.point_for(data, area.code)
    found = []
    for n in range(rng.choice(per_area)):
        connectors = tuple(
            (kind, rng.choice(powers), rng.choice(_STATUSES))
            for kind, powers in rng.sample(_CONNECTORS, rng.randint(1, 3))
        )
        found.append(
            Charger(
                f"{agency.upper()}-EV-{area.code}-{n + 1:02d}", f"{operator} {area.name_th} {n + 1}",
                round(lat + rng.uniform(-0.01, 0.01), 6), round(lon + rng.uniform(-0.01, 0.01), 6),
                connectors, operator,
            )
        )  # fmt: skip
    return found


def area_codes(request: web.Request, name: str = "areaCode") -> list[str]:
    """The codes of a batch request: repeated (``?areaCode=a&areaCode=b``) or comma-separated.

    Raises HTTPBadRequest when none is given, one is not 2, 4 or 6 digits, or there are more
    than :data:`MAX_AREA_CODES`.
    """
    codes = [c.strip() for v in request.query.getall(name, []) for c in v.split(",") if c.strip()]
    if not codes or len(codes) > MAX_AREA_CODES:
        raise web.HTTPBadRequest(text=f"give 1 to {MAX_AREA_CODES} {name} values")
    bad = [c for c in codes if len(c) not in (2, 4, 6) or not (c.isascii() and c.isdigit())]
    if bad:
        raise web.HTTPBadRequest(text=f"not area codes: {', '.join(bad[:5])}")
    return list(dict.fromkeys(codes))


def subdistricts_for(
    data: SandboxData, codes: Sequence[str], provinces: Sequence[str]
) -> list[AreaRecord]:
    """The active subdistricts under any of ``codes`` that lie in ``provinces``, by code."""
    found: dict[str, AreaRecord] = {}
    for code in codes:
        if code[:2] in provinces:
            for area in data.snapshot.subdistricts_by_province.get(code[:2], ()):
                if area.code.startswith(code):
                    found[area.code] = area
    return [found[c] for c in sorted(found)]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def json_response(value: Any, status: int = 200) -> web.Response:
    """JSON with Thai as UTF-8, as the agencies send it."""
    return web.json_response(
        value, status=status, dumps=lambda v: json.dumps(v, ensure_ascii=False)
    )
