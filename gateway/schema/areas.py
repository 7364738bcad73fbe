"""The area types: Province, District and Subdistrict, behind the Area interface."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Self

import strawberry

from central_codes.codes import Level
from central_codes.crosswalk import ISO_3166_2
from central_codes.records import AreaRecord, Status
from gateway.loaders.areas import make_area_loader
from gateway.schema.agency_fields import AgencyFields
from gateway.schema.context import Info
from gateway.schema.nodes import AreaNodes
from gateway.schema.pagination import Connection, paginate

__all__ = ["Area", "AreaLevel", "CodeStatus", "District", "Province", "Subdistrict"]

# The registry's own enums, named for the graph; annotations use them directly.
AreaLevel = strawberry.enum(Level, name="AreaLevel", description="The level of an area.")
CodeStatus = strawberry.enum(
    Status, name="CodeStatus", description="Whether a code is in use or was abolished."
)


@strawberry.interface(description="A province, district or subdistrict, keyed by its DOPA code.")
class Area:
    """Fields every level has; the record and node factory stay private."""

    code: strawberry.ID = strawberry.field(
        description="DOPA code: 2 digits for a province, 4 for a district, 6 for a subdistrict."
    )
    level: Level = strawberry.field(description="Province, district or subdistrict.")
    name_th: str = strawberry.field(description="Thai name, as DOPA writes it.")
    name_en: str | None = strawberry.field(description="English (romanised) name.")
    status: Status = strawberry.field(description="ACTIVE, or ABOLISHED for a retired code.")
    abolished_on: dt.date | None = strawberry.field(
        description="When DOPA abolished the code; null while it is active."
    )
    record: strawberry.Private[AreaRecord]
    registry_nodes: strawberry.Private[AreaNodes]

    @classmethod
    def of(cls, record: AreaRecord, nodes: AreaNodes) -> Self:
        """The graph object of one record."""
        return cls(
            code=strawberry.ID(record.code),
            level=record.level,
            name_th=record.name_th,
            name_en=record.name_en,
            status=record.status,
            abolished_on=record.abolished_on,
            record=record,
            registry_nodes=nodes,
            **cls._extra(record, nodes),
        )

    @classmethod
    def _extra(cls, record: AreaRecord, nodes: AreaNodes) -> dict[str, Any]:
        return {}

    @classmethod
    async def resolve_reference(cls, info: Info, code: str) -> Self | None:
        """The area a federation router names by ``code``: null when unknown or another level.

        Every representation of one ``_entities`` call goes through the request's area loader,
        so they are looked up as one batch.
        """
        found = await info.context.loaders.get(make_area_loader).load(code)
        return found if isinstance(found, cls) else None

    @strawberry.field(description="The area one level up; null for a province.")
    def parent(self) -> Area | None:
        code = self.record.parent_code
        return None if code is None else self.registry_nodes.find(code)

    @strawberry.field(description="Every area above this one, nearest first.")
    def ancestors(self) -> list[Area]:
        return self.registry_nodes.nodes(self.registry_nodes.snapshot.ancestors(self.record))


@strawberry.federation.type(keys=["code"], description="A province (changwat), or Bangkok.")
class Province(Area, AgencyFields):
    """A province and what lies in it."""

    iso_code: str | None = strawberry.field(description='ISO 3166-2 code, such as "TH-84".')

    @classmethod
    def _extra(cls, record: AreaRecord, nodes: AreaNodes) -> dict[str, Any]:
        return {"iso_code": nodes.snapshot.external_codes.get(record.code, {}).get(ISO_3166_2)}

    @strawberry.field(description="Its active districts, by code.")
    def districts(self) -> list[District]:
        return self.registry_nodes.nodes(self.registry_nodes.snapshot.children(self.code))  # type: ignore[return-value]

    @strawberry.field(description="Its active subdistricts, by code, a page at a time.")
    def subdistricts(
        self,
        first: Annotated[int, strawberry.argument(description="Page size, 1 to 500.")] = 100,
        after: Annotated[
            str | None, strawberry.argument(description="The endCursor of the previous page.")
        ] = None,
    ) -> Connection[Subdistrict]:
        records = self.registry_nodes.snapshot.subdistricts_by_province.get(self.code, ())
        return paginate(records, first, after, self.registry_nodes.subdistricts)


@strawberry.federation.type(keys=["code"], description="A district (amphoe, or khet in Bangkok).")
class District(Area, AgencyFields):
    """A district and what lies in it."""

    @strawberry.field(description="The province the district is in.")
    def province(self) -> Province:
        return self.registry_nodes.province(self.record)

    @strawberry.field(description="Its active subdistricts, by code.")
    def subdistricts(self) -> list[Subdistrict]:
        return self.registry_nodes.subdistricts(self.registry_nodes.snapshot.children(self.code))


@strawberry.federation.type(
    keys=["code"], description="A subdistrict (tambon, or khwaeng in Bangkok)."
)
class Subdistrict(Area, AgencyFields):
    """A subdistrict, the finest level the registry holds today."""

    postal_codes: list[str] = strawberry.field(
        description="Thailand Post codes used in it; several when it spans post office zones."
    )

    @classmethod
    def _extra(cls, record: AreaRecord, nodes: AreaNodes) -> dict[str, Any]:
        return {"postal_codes": list(record.postal_codes)}

    @strawberry.field(description="The district the subdistrict is in.")
    def district(self) -> District:
        return self.registry_nodes.district(self.record)

    @strawberry.field(description="The province the subdistrict is in.")
    def province(self) -> Province:
        return self.registry_nodes.province(self.record)
