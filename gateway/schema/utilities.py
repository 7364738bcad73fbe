"""Water and electricity on every area: suppliers, outages and EV chargers.

Suppliers come from the registry (the province rule, and imported overrides per subdistrict).
On every level, ``waterSuppliers`` / ``electricitySuppliers`` list the distinct suppliers of the
area's subdistricts (one for a subdistrict); ``waterSupplier`` / ``electricitySupplier`` is the
only one, or null when the area is served by both (a mixed district or province). Outages and
chargers are asked of each subdistrict's own supplier: a failing agency nulls only the fields
it feeds.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import strawberry

from central_codes.records import AreaRecord
from central_codes.snapshot import Snapshot
from central_codes.suppliers import SupplierRecord, UtilityKind, suppliers_under
from gateway.connectors import utility_types as types
from gateway.loaders.utilities import Sourced, area_chargers, area_outages
from gateway.schema.context import Info

__all__ = ["EvCharger", "EvChargerConnector", "Supplier", "UtilityFields", "UtilityOutage"]

SUPPLIER_NAMES = {
    "MWA": "Metropolitan Waterworks Authority",
    "PWA": "Provincial Waterworks Authority",
    "MEA": "Metropolitan Electricity Authority",
    "PEA": "Provincial Electricity Authority",
}


@strawberry.type(description="Who supplies water or electricity, by which source and as of when.")
class Supplier:
    """A supplier as the registry records it for an area."""

    code: str = strawberry.field(description="MWA, PWA, MEA or PEA.")
    name: str = strawberry.field(description="The supplier's English name.")
    source: str = strawberry.field(
        description="Where the registry has it from: the province rule, or an imported survey."
    )
    as_of: dt.date = strawberry.field(description="The date of that source.")
    by_province_rule: bool = strawberry.field(
        description="True when only the province rule says so (no override for any subdistrict)."
    )

    @classmethod
    def of(cls, record: SupplierRecord) -> Supplier:
        """The graph object of a registry record."""
        name = SUPPLIER_NAMES[record.supplier]
        return cls(
            code=record.supplier,
            name=name,
            source=record.source,
            as_of=record.as_of,
            by_province_rule=record.by_rule,
        )


@strawberry.type(description="A planned or unplanned water or power interruption.")
class UtilityOutage:
    """One outage notice from MWA, PWA, MEA or PEA."""

    id: str = strawberry.field(
        description="The agency's notice id (built from area and time for MWA)."
    )
    title: str = strawberry.field(description="The notice's title, in Thai.")
    reason: str = strawberry.field(description="Why, in Thai.")
    planned: bool | None = strawberry.field(
        description="Planned work; null when the agency does not say."
    )
    starts_at: dt.datetime = strawberry.field(description="When the supply stops.")
    ends_at: dt.datetime = strawberry.field(description="When it is expected back.")
    area_codes: list[str] = strawberry.field(
        description="DOPA codes of the subdistricts affected (empty from MWA, which names areas only)."
    )
    area_names: list[str] = strawberry.field(
        description="The affected areas as the agency names them."
    )
    source: str = strawberry.field(description="The connector that reported it.")
    as_of: dt.datetime = strawberry.field(description="When the agency said it.")
    stale: bool = strawberry.field(
        description="True when the agency failed and this is an older copy."
    )

    @classmethod
    def of(cls, found: Sourced[types.UtilityOutage]) -> UtilityOutage:
        """The graph object of one outage."""
        o = found.value
        return cls(
            id=o.outage_id, title=o.title, reason=o.reason, planned=o.planned,
            starts_at=o.starts_at, ends_at=o.ends_at,
            area_codes=list(o.area_codes), area_names=list(o.area_names),
            source=found.source, as_of=found.fetched.as_of, stale=found.fetched.stale,
        )  # fmt: skip


@strawberry.type(description="One plug of a charging station.")
class EvChargerConnector:
    """A connector (plug) with its power and status."""

    type: str = strawberry.field(description="CCS2, Type 2, CHAdeMO, ...")
    power_kw: float = strawberry.field(description="Power in kilowatts.")
    status: str = strawberry.field(description="OCPI status: AVAILABLE, CHARGING, OUTOFORDER, ...")


@strawberry.type(description="An EV charging station of MEA EV or PEA VOLTA.")
class EvCharger:
    """One charging station in one subdistrict."""

    id: str = strawberry.field(description="The operator's station id.")
    name: str = strawberry.field(description="The station's name.")
    lat: float = strawberry.field(description="Latitude (WGS 84).")
    lon: float = strawberry.field(description="Longitude (WGS 84).")
    operator: str = strawberry.field(description="MEA EV or PEA VOLTA.")
    area_code: str = strawberry.field(description="The DOPA code of its subdistrict.")
    connectors: list[EvChargerConnector] = strawberry.field(description="Its plugs.")
    source: str = strawberry.field(description="The connector that reported it.")
    as_of: dt.datetime = strawberry.field(description="When the agency said it.")
    stale: bool = strawberry.field(
        description="True when the agency failed and this is an older copy."
    )

    @classmethod
    def of(cls, found: Sourced[types.EvCharger]) -> EvCharger:
        """The graph object of one charger."""
        c = found.value
        plugs = [
            EvChargerConnector(type=p.type, power_kw=p.power_kw, status=p.status)
            for p in c.connectors
        ]
        return cls(
            id=c.charger_id, name=c.name, lat=c.lat, lon=c.lon, operator=c.operator,
            area_code=c.area_code, connectors=plugs,
            source=found.source, as_of=found.fetched.as_of, stale=found.fetched.stale,
        )  # fmt: skip


def _suppliers(snapshot: Snapshot, area: AreaRecord, kind: UtilityKind) -> list[Supplier]:
    found = suppliers_under(snapshot, area, kind, snapshot.supplier_overrides)
    return [Supplier.of(record) for record in found]


def _only(suppliers: list[Supplier]) -> Supplier | None:
    return suppliers[0] if len(suppliers) == 1 else None


@strawberry.type
class UtilityFields:
    """Water and electricity fields of Province, District and Subdistrict.

    A strawberry type only so that the areas inherit its fields; it is never in the schema.
    """

    if TYPE_CHECKING:
        record: AreaRecord  # the area's, as Area declares it

    @strawberry.field(
        description="The distinct water suppliers of its subdistricts (one for a subdistrict)."
    )
    def water_suppliers(self, info: Info) -> list[Supplier]:
        return _suppliers(info.context.registry.snapshot, self.record, UtilityKind.WATER)

    @strawberry.field(
        description="Its water supplier: the only one, or null when its subdistricts have several."
    )
    def water_supplier(self, info: Info) -> Supplier | None:
        return _only(_suppliers(info.context.registry.snapshot, self.record, UtilityKind.WATER))

    @strawberry.field(
        description="The distinct electricity suppliers of its subdistricts (one for a subdistrict)."
    )
    def electricity_suppliers(self, info: Info) -> list[Supplier]:
        return _suppliers(info.context.registry.snapshot, self.record, UtilityKind.ELECTRICITY)

    @strawberry.field(
        description="Its electricity supplier: the only one, or null when its subdistricts have several."
    )
    def electricity_supplier(self, info: Info) -> Supplier | None:
        kind = UtilityKind.ELECTRICITY
        return _only(_suppliers(info.context.registry.snapshot, self.record, kind))

    @strawberry.field(
        description="Water outages in its subdistricts, each from its own supplier (MWA or PWA), by start."
    )
    async def water_outages(self, info: Info) -> list[UtilityOutage] | None:
        found = await area_outages(info.context, self.record, UtilityKind.WATER)
        return [UtilityOutage.of(o) for o in found]

    @strawberry.field(
        description="Power outages in its subdistricts, each from its own supplier (MEA or PEA), by start."
    )
    async def power_outages(self, info: Info) -> list[UtilityOutage] | None:
        found = await area_outages(info.context, self.record, UtilityKind.ELECTRICITY)
        return [UtilityOutage.of(o) for o in found]

    @strawberry.field(
        description="EV charging stations in its subdistricts, from their electricity supplier (MEA EV or PEA VOLTA)."
    )
    async def ev_chargers(self, info: Info) -> list[EvCharger] | None:
        return [EvCharger.of(c) for c in await area_chargers(info.context, self.record)]
