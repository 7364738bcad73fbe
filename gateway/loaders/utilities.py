"""Loaders for water and power outages and EV chargers, keyed by subdistrict code.

An area's subdistricts are split by their supplier (the registry's rule and overrides), and
each supplier's loader is asked for its own subdistricts. MEA, PEA and PWA answer up to 100
area codes in one request, so their loaders batch: every subdistrict asked for in one request
(across every area of the query) goes in as few calls as the batch size allows. MWA answers
by coordinate only, so its loader asks once per distinct subdistrict, at that subdistrict's
point.

A subdistrict's point is the registry's (``Snapshot.locations``: GeoNames places matched by
name, as good as a district seat in places). MWA's notices carry no DOPA code: a notice counts for a subdistrict when its
``areaName`` names that subdistrict and its district.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from strawberry.dataloader import DataLoader

from central_codes.records import AreaRecord
from central_codes.snapshot import Snapshot
from central_codes.suppliers import UtilityKind, subdistricts_under, supplier_of
from gateway.connectors.mea import MeaClient
from gateway.connectors.messages import Fetched
from gateway.connectors.mwa import MwaClient, names_area
from gateway.connectors.pea import PeaClient
from gateway.connectors.pwa import PwaClient
from gateway.connectors.utility_types import MAX_AREA_CODES, EvCharger, UtilityOutage
from gateway.errors import UpstreamError
from gateway.schema.context import GraphContext

__all__ = [
    "Sourced",
    "area_chargers",
    "area_outages",
    "make_mea_chargers",
    "make_mea_outages",
    "make_mwa_outages",
    "make_pea_chargers",
    "make_pea_outages",
    "make_pwa_outages",
]

T = TypeVar("T")
Items = tuple[T, ...]
Loader = DataLoader[str, Fetched[Items[T]]]
Batch = Callable[[Sequence[str]], Awaitable[Fetched[Items[T]]]]


@dataclass(frozen=True, slots=True)
class Sourced(Generic[T]):
    """One item with the connector that gave it, when, and whether it is an older copy."""

    value: T
    source: str
    fetched: Fetched[Items[T]]


def _batched(fetch: Batch[T], codes_of: Callable[[T], Iterable[str]]) -> Loader[T]:
    async def load(codes: list[str]) -> list[Fetched[Items[T]] | BaseException]:
        try:
            fetched = await fetch(codes)
        except UpstreamError as error:
            return [error] * len(codes)
        by_code: defaultdict[str, list[T]] = defaultdict(list)
        for item in fetched.value:
            for code in dict.fromkeys(codes_of(item)):
                by_code[code].append(item)
        return [
            Fetched(tuple(by_code[c]), fetched.freshness, fetched.as_of, fetched.error)
            for c in codes
        ]

    return DataLoader(load_fn=load, max_batch_size=MAX_AREA_CODES)


def _outage_codes(outage: UtilityOutage) -> Iterable[str]:
    return outage.area_codes


def _charger_codes(charger: EvCharger) -> Iterable[str]:
    return (charger.area_code,)


def make_mea_outages(ctx: GraphContext) -> Loader[UtilityOutage]:
    """MEA outages per subdistrict, 100 codes a request."""
    client = MeaClient(ctx.connector("mea"), ctx.request_id)
    return _batched(client.outages, _outage_codes)


def make_pea_outages(ctx: GraphContext) -> Loader[UtilityOutage]:
    """PEA notices per subdistrict, 100 codes a request."""
    client = PeaClient(ctx.connector("pea"), ctx.request_id)
    return _batched(client.outages, _outage_codes)


def make_pwa_outages(ctx: GraphContext) -> Loader[UtilityOutage]:
    """PWA notices per subdistrict, 100 codes a request."""
    client = PwaClient(ctx.connector("pwa"), ctx.request_id)
    return _batched(client.outages, _outage_codes)


def make_mea_chargers(ctx: GraphContext) -> Loader[EvCharger]:
    """MEA EV chargers per subdistrict, 100 codes a request."""
    client = MeaClient(ctx.connector("mea"), ctx.request_id)
    return _batched(client.chargers, _charger_codes)


def make_pea_chargers(ctx: GraphContext) -> Loader[EvCharger]:
    """PEA VOLTA chargers per subdistrict, 100 codes a request."""
    client = PeaClient(ctx.connector("pea"), ctx.request_id)
    return _batched(client.chargers, _charger_codes)


def make_mwa_outages(ctx: GraphContext) -> Loader[UtilityOutage]:
    """MWA outages per subdistrict: one request per subdistrict point, all at once."""
    client = MwaClient(ctx.connector("mwa"), ctx.request_id)
    snapshot = ctx.registry.snapshot

    async def one(code: str) -> Fetched[Items[UtilityOutage]] | BaseException:
        try:
            fetched = await client.outages_near(*_point(snapshot, code))
        except UpstreamError as error:
            return error
        sub, district = snapshot.areas[code], snapshot.areas[code[:4]]
        mine = tuple(o for o in fetched.value if names_area(o, sub.name_th, district.name_th))
        return Fetched(mine, fetched.freshness, fetched.as_of, fetched.error)

    async def load(codes: list[str]) -> list[Fetched[Items[UtilityOutage]] | BaseException]:
        return list(await asyncio.gather(*(one(c) for c in codes)))

    return DataLoader(load_fn=load)


def _point(snapshot: Snapshot, code: str) -> tuple[float, float]:
    located = snapshot.locations[code]
    return located.lat, located.lon


OUTAGE_LOADERS: dict[str, Callable[[GraphContext], Loader[UtilityOutage]]] = {
    "MWA": make_mwa_outages,
    "PWA": make_pwa_outages,
    "MEA": make_mea_outages,
    "PEA": make_pea_outages,
}
CHARGER_LOADERS: dict[str, Callable[[GraphContext], Loader[EvCharger]]] = {
    "MEA": make_mea_chargers,
    "PEA": make_pea_chargers,
}


def _by_supplier(snapshot: Snapshot, area: AreaRecord, kind: UtilityKind) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for sub in subdistricts_under(snapshot, area):
        supplier = supplier_of(snapshot, sub.code, kind, snapshot.supplier_overrides).supplier
        grouped[supplier].append(sub.code)
    return grouped


async def _gathered(
    ctx: GraphContext,
    area: AreaRecord,
    kind: UtilityKind,
    loaders: dict[str, Callable[[GraphContext], Loader[T]]],
) -> list[Sourced[T]]:
    grouped = _by_supplier(ctx.registry.snapshot, area, kind)
    asked = [(name, codes) for name, codes in sorted(grouped.items()) if name in loaders]
    answers = await asyncio.gather(
        *(ctx.loaders.get(loaders[name]).load_many(codes) for name, codes in asked)
    )
    return [
        Sourced(item, name.lower(), fetched)
        for (name, _), fetched_list in zip(asked, answers, strict=True)
        for fetched in fetched_list
        for item in fetched.value
    ]


async def area_outages(
    ctx: GraphContext, area: AreaRecord, kind: UtilityKind
) -> list[Sourced[UtilityOutage]]:
    """The outages of every subdistrict of ``area``, each asked of its own supplier, by start."""
    found = await _gathered(ctx, area, kind, OUTAGE_LOADERS)
    unique = {(s.source, s.value.outage_id): s for s in found}
    return sorted(unique.values(), key=lambda s: (s.value.starts_at, s.value.outage_id))


async def area_chargers(ctx: GraphContext, area: AreaRecord) -> list[Sourced[EvCharger]]:
    """The EV chargers of every subdistrict of ``area``, from its electricity supplier, by id."""
    found = await _gathered(ctx, area, UtilityKind.ELECTRICITY, CHARGER_LOADERS)
    unique = {(s.source, s.value.charger_id): s for s in found}
    return sorted(unique.values(), key=lambda s: s.value.charger_id)
