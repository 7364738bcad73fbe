"""The partner's subgraph schema: OTOP products, on MOI Gateway's ``Subdistrict`` (by ``code``)
and ``ServicePoint`` (by ``id``).

Only the keys are shared with MOI Gateway: ``Subdistrict.code`` and ``ServicePoint.id`` are
``ID!``, exactly as MOI Gateway declares them. ``Query`` and the two entities carry no
description here, so the descriptions MOI Gateway gives them are the graph's (two different
ones would make composition hint at it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, Self

import strawberry
import strawberry.federation
from strawberry.types.info import Info as StrawberryInfo

from partner_subgraph.catalogue import Catalogue, OtopProductRecord
from partner_subgraph.catalogue import OtopCategory as CategoryValues

__all__ = [
    "FEDERATION_VERSION",
    "Context",
    "OtopProduct",
    "ServicePoint",
    "Subdistrict",
    "build_schema",
]

FEDERATION_VERSION: Final[Literal["2.7"]] = "2.7"  # the version MOI Gateway's subgraph links

OtopCategory = strawberry.enum(
    CategoryValues, name="OtopCategory", description="OTOP's five product categories."
)


@dataclass(frozen=True)
class Context:
    """What every resolver of one request reads: the partner's catalogue."""

    catalogue: Catalogue


Info = StrawberryInfo[Context, None]


@strawberry.federation.type(keys=["code"])
class Subdistrict:
    """MOI Gateway's subdistrict, which this subgraph extends with its OTOP products."""

    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, code: str) -> Self:
        """Any subdistrict a router names: one without products has an empty list."""
        return cls(code=strawberry.ID(code))

    @strawberry.field(description="OTOP products made in this subdistrict, best rated first.")
    def otop_products(self, info: Info) -> list[OtopProduct]:
        return OtopProduct.all_of(info.context.catalogue.of_subdistrict(self.code))


@strawberry.federation.type(keys=["id"])
class ServicePoint:
    """MOI Gateway's service point, which this subgraph extends with the products registered there."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: str) -> Self:
        """Any point a router names: one where nothing was registered has an empty list."""
        return cls(id=strawberry.ID(id))

    @strawberry.field(description="OTOP products registered at this point, best rated first.")
    def otop_products(self, info: Info) -> list[OtopProduct]:
        return OtopProduct.all_of(info.context.catalogue.registered_at(self.id))


@strawberry.type(description="A product registered with OTOP (One Tambon One Product).")
class OtopProduct:
    """One product; its subdistrict's names come from MOI Gateway through the router."""

    name_th: str = strawberry.field(description="The product's Thai name.")
    name_en: str = strawberry.field(description="The product's English name.")
    category: CategoryValues = strawberry.field(description="Its OTOP category.")
    stars: int = strawberry.field(description="Its OTOP Product Champion rating, 1 to 5 stars.")
    subdistrict_code: strawberry.Private[str]
    point_id: strawberry.Private[str]

    @classmethod
    def of(cls, record: OtopProductRecord) -> Self:
        """The graph object of one catalogue record."""
        return cls(
            name_th=record.name_th,
            name_en=record.name_en,
            category=record.category,
            stars=record.stars,
            subdistrict_code=record.subdistrict_code,
            point_id=record.registered_at,
        )

    @classmethod
    def all_of(cls, records: Iterable[OtopProductRecord]) -> list[Self]:
        """The graph objects of these records, in their order."""
        return [cls.of(record) for record in records]

    @strawberry.field(description="The subdistrict that makes it.")
    def subdistrict(self) -> Subdistrict:
        return Subdistrict(code=strawberry.ID(self.subdistrict_code))

    @strawberry.field(
        description="The service point where it was registered: its district's office."
    )
    def registered_at(self) -> ServicePoint:
        return ServicePoint(id=strawberry.ID(self.point_id))


@strawberry.type
class Query:
    """The partner's own root fields, named ``otop...`` so they cannot meet MOI Gateway's."""

    @strawberry.field(description="OTOP products, best rated first: all, or of one category.")
    def otop_products(
        self, info: Info, category: CategoryValues | None = None
    ) -> list[OtopProduct]:
        products = info.context.catalogue.products
        return OtopProduct.all_of(p for p in products if category in (None, p.category))


def build_schema() -> strawberry.federation.Schema:
    """The partner's federation subgraph schema."""
    return strawberry.federation.Schema(
        query=Query, types=[Subdistrict, ServicePoint], federation_version=FEDERATION_VERSION
    )
