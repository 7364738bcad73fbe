"""Government service points (CITIZENinfo): ``servicePoint(id)``, ``servicePointsNear`` and
``servicePoints`` on every area, all served from the in-memory index."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from gateway.connectors.citizeninfo import NAME, ServicePointRecord
from gateway.errors import BadUserInput
from gateway.loaders.procedures import make_procedure_loader
from gateway.loaders.ratings import make_rating_loader
from gateway.ratings import AgencyFigure
from gateway.schema.context import Info
from gateway.schema.land import GeoPoint
from gateway.schema.pagination import Connection, paginate_by
from gateway.schema.procedures import ServiceProcedure
from gateway.schema.ratings import ServicePointRating
from gateway.service_points import ServicePointIndex

if TYPE_CHECKING:
    from gateway.schema.areas import Subdistrict

__all__ = [
    "MAX_NEAR",
    "MAX_RADIUS_KM",
    "NearbyServicePoint",
    "ServicePoint",
    "ServicePointFields",
    "ServicePointQuery",
]

MAX_NEAR = 100
MAX_RADIUS_KM = 100.0
SERVICE_ARGUMENT = (
    "Only points offering this procedure (info.go.th's ProcedureID, as in a point's "
    "`procedures { id }`)."
)


@strawberry.federation.type(
    keys=["id"], description="A government service point (CITIZENinfo), where citizens go."
)
class ServicePoint:
    """One point of CITIZENinfo's export, as the index holds it."""

    id: strawberry.ID = strawberry.field(description="CITIZENinfo's pointId (a UUID).")
    name: str = strawberry.field(description="The point's name, in Thai.")
    agency: str = strawberry.field(
        description="CITIZENinfo's orgCode of the organisation running it: a local "
        "government's 7-digit DLA code, or the organisation and area (DOPA-8405, BMA-100101)."
    )
    location: GeoPoint = strawberry.field(description="Where it is (WGS 84).")
    procedure_ids: list[strawberry.ID] = strawberry.field(
        description="info.go.th's ProcedureIDs of the procedures it offers."
    )
    no_copy: bool = strawberry.field(
        description="True when the point asks for no photocopy of any government document "
        "(CITIZENinfo's No Copy flag)."
    )
    source: str = strawberry.field(description="The connector it came from (citizeninfo).")
    as_of: dt.datetime = strawberry.field(
        description="When the gateway last read CITIZENinfo's export it came from."
    )
    record: strawberry.Private[ServicePointRecord]

    @classmethod
    def of(cls, record: ServicePointRecord, index: ServicePointIndex) -> Self:
        """The graph object of an indexed point."""
        return cls(
            id=strawberry.ID(record.point_id),
            name=record.name,
            agency=record.org_code,
            location=GeoPoint(latitude=record.lat, longitude=record.lon),
            procedure_ids=[strawberry.ID(str(p)) for p in record.procedure_ids],
            no_copy=record.no_copy,
            source=NAME,
            as_of=index.read_at(record),
            record=record,
        )

    @classmethod
    def resolve_reference(cls, info: Info, id: str) -> Self | None:
        """The point a federation router names by ``id``, from the index."""
        index = info.context.service_point_index()
        found = index.get(id)
        return None if found is None else cls.of(found, index)

    @strawberry.field(description="The subdistrict it lies in; null when the registry lacks it.")
    def area(
        self, info: Info
    ) -> Annotated[Subdistrict, strawberry.lazy("gateway.schema.areas")] | None:
        return info.context.registry.nodes.find(self.record.tambon_code)  # type: ignore[return-value]

    @strawberry.field(
        description="How citizens rated it: CITIZENinfo's figure with the ratings given here "
        "that it does not include yet; null when the gateway's ratings cannot be read."
    )
    async def rating(self, info: Info) -> ServicePointRating | None:
        point = self.record
        figure = AgencyFigure(point.score, point.rating_count, self.as_of)
        summary = await info.context.loaders.get(make_rating_loader).load((point.point_id, figure))
        return ServicePointRating.of(summary)

    @strawberry.field(
        description="The procedures it offers, from info.go.th; null when info.go.th fails."
    )
    async def procedures(self, info: Info) -> list[ServiceProcedure] | None:
        loader = info.context.loaders.get(make_procedure_loader)
        found = await loader.load_many(list(self.record.procedure_ids))
        return [ServiceProcedure.of(f) for f in found if f.value is not None]  # type: ignore[arg-type]


@strawberry.type(description="A service point and how far it is.")
class NearbyServicePoint:
    """One answer of ``servicePointsNear``."""

    distance_km: float = strawberry.field(
        description="The great-circle distance from the given point, in kilometres."
    )
    point: ServicePoint = strawberry.field(description="The service point.")


def _procedure_id(service: str | None) -> int | None:
    if service is None:
        return None
    text = service.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise BadUserInput("`service` must be a ProcedureID (digits)", argument="service")
    return int(text)


def _check_near(lat: float, lon: float, radius_km: float, first: int) -> None:
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise BadUserInput("`lat` must be from -90 to 90", argument="lat")
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise BadUserInput("`lon` must be from -180 to 180", argument="lon")
    if not (math.isfinite(radius_km) and 0.0 < radius_km <= MAX_RADIUS_KM):
        raise BadUserInput(
            f"`radiusKm` must be above 0 and at most {MAX_RADIUS_KM:g}", argument="radiusKm"
        )
    if not 1 <= first <= MAX_NEAR:
        raise BadUserInput(f"`first` must be from 1 to {MAX_NEAR}", argument="first")


def _point_id(id: str) -> str:
    try:
        return str(uuid.UUID(id.strip()))
    except ValueError:
        raise BadUserInput("`id` must be a service point's UUID", argument="id") from None


@strawberry.type
class ServicePointQuery:
    """Root fields for service points, merged into Query."""

    @strawberry.field(description="A service point by its id; null when CITIZENinfo has none.")
    def service_point(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Its pointId.")],
    ) -> ServicePoint | None:
        return ServicePoint.resolve_reference(info, _point_id(id))

    @strawberry.field(
        description="The service points nearest a place, within `radiusKm`, nearest first, "
        "each with its distance."
    )
    def service_points_near(
        self,
        info: Info,
        lat: Annotated[float, strawberry.argument(description="Latitude, degrees north.")],
        lon: Annotated[float, strawberry.argument(description="Longitude, degrees east.")],
        radius_km: Annotated[
            float,
            strawberry.argument(description=f"How far to look, in km (at most {MAX_RADIUS_KM:g})."),
        ] = 5.0,
        service: Annotated[
            strawberry.ID | None, strawberry.argument(description=SERVICE_ARGUMENT)
        ] = None,
        first: Annotated[int, strawberry.argument(description=f"How many, 1 to {MAX_NEAR}.")] = 10,
    ) -> list[NearbyServicePoint] | None:
        _check_near(lat, lon, radius_km, first)
        index = info.context.service_point_index()
        found = index.near(lat, lon, radius_km, first, _procedure_id(service))
        return [
            NearbyServicePoint(distance_km=n.distance_km, point=ServicePoint.of(n.point, index))
            for n in found
        ]


def _key(record: ServicePointRecord) -> str:
    return f"{record.tambon_code}/{record.point_id}"


@strawberry.type
class ServicePointFields:
    """``servicePoints`` on every area (a mixin of the area types, never in the schema)."""

    if TYPE_CHECKING:
        code: strawberry.ID  # the area's, as Area declares it

    @strawberry.field(
        description="The service points in this area (in its subdistricts), a page at a time, "
        "in a fixed order (by subdistrict, then id)."
    )
    def service_points(
        self,
        info: Info,
        service: Annotated[
            strawberry.ID | None, strawberry.argument(description=SERVICE_ARGUMENT)
        ] = None,
        first: Annotated[int, strawberry.argument(description="Page size, 1 to 500.")] = 100,
        after: Annotated[
            str | None, strawberry.argument(description="The endCursor of the previous page.")
        ] = None,
    ) -> Connection[ServicePoint] | None:
        index = info.context.service_point_index()
        records = index.in_area(self.code, _procedure_id(service))
        return paginate_by(
            records,
            first,
            after,
            lambda page: [ServicePoint.of(r, index) for r in page],
            _key,
        )
