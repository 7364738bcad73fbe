"""``landParcel(provinceCode, dolDistrictCode, deedNo)``: a parcel from LandsMaps, placed in the
registry through the Department of Lands' district crosswalk."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated

import strawberry

from central_codes.crosswalk import dol_district_area, subdistrict_named
from gateway.connectors.landsmaps import CONNECTOR, LandParcel, LandsMapsClient
from gateway.errors import BadAreaCode, BadUserInput
from gateway.schema.context import Info

if TYPE_CHECKING:
    from gateway.schema.areas import District, Subdistrict

__all__ = ["LandQuery", "Parcel", "ParcelArea"]

_PROVINCE = re.compile(r"[0-9]{2}")
_DOL_DISTRICT = re.compile(r"[0-9ก-๙]{1,4}")
_DEED = re.compile(r"[0-9]{1,10}")


@strawberry.type(description="A parcel's area in Thai units and in square metres.")
class ParcelArea:
    """1 rai = 4 ngan = 400 square wa = 1,600 m²."""

    rai: int = strawberry.field(description="Whole rai.")
    ngan: int = strawberry.field(description="Whole ngan beyond the rai, 0 to 3.")
    square_wa: float = strawberry.field(description="Square wa beyond the ngan, under 100.")
    square_metres: float = strawberry.field(description="The whole area in square metres.")


@strawberry.type(description="A geographic point (WGS 84).")
class GeoPoint:
    """Latitude and longitude in decimal degrees."""

    latitude: float = strawberry.field(description="Degrees north.")
    longitude: float = strawberry.field(description="Degrees east.")


@strawberry.type(description="A land parcel (title deed) as the Department of Lands maps it.")
class Parcel:
    """One parcel; its registry area found through the DOL district crosswalk."""

    deed_no: str = strawberry.field(description="The title deed number (parcelno).")
    survey_no: str | None = strawberry.field(description="The survey number (surveyno).")
    land_no: str | None = strawberry.field(description="The land number (landno).")
    parcel_type: str | None = strawberry.field(description="The kind of title, in Thai.")
    utm_sheet: str | None = strawberry.field(description="The UTM map sheet reference.")
    area: ParcelArea = strawberry.field(description="Its area.")
    land_price_per_square_wa: float | None = strawberry.field(
        description="The appraised price in baht per square wa."
    )
    location: GeoPoint | None = strawberry.field(description="Its point; null when not given.")
    subdistrict_name: str | None = strawberry.field(description="The tambon, as DOL names it.")
    district_name: str | None = strawberry.field(description="The district, as DOL names it.")
    province_name: str | None = strawberry.field(description="The province, as DOL names it.")
    district: Annotated[District, strawberry.lazy("gateway.schema.areas")] | None = (
        strawberry.field(description="The registry district (DOL district crosswalk).")
    )
    subdistrict: Annotated[Subdistrict, strawberry.lazy("gateway.schema.areas")] | None = (
        strawberry.field(description="The registry subdistrict whose name DOL gives; null if none.")
    )
    as_of: dt.datetime = strawberry.field(description="When LandsMaps gave this parcel.")
    source: str = strawberry.field(description="The connector the parcel came from.")
    stale: bool = strawberry.field(
        description="True when LandsMaps failed and this is its last answer, past its TTL."
    )


def _validated(province_code: str, dol_district_code: str, deed_no: str) -> tuple[str, str, str]:
    province, district, deed = province_code.strip(), dol_district_code.strip(), deed_no.strip()
    if not _PROVINCE.fullmatch(province):
        raise BadAreaCode("provinceCode must be 2 digits", argumentValue=province[:20])
    if not _DOL_DISTRICT.fullmatch(district):
        raise BadUserInput(
            "dolDistrictCode must be the Department of Lands' district code (01, ก3)",
            argument="dolDistrictCode",
        )
    if not _DEED.fullmatch(deed):
        raise BadUserInput("deedNo must be 1 to 10 digits", argument="deedNo")
    return province, district, deed.lstrip("0") or "0"


@strawberry.type
class LandQuery:
    """Root field for land parcels, merged into Query."""

    @strawberry.field(
        description="A parcel by its title deed in a Department of Lands district; null when "
        "LandsMaps has no such deed."
    )
    async def land_parcel(
        self,
        info: Info,
        province_code: Annotated[
            str, strawberry.argument(description="The 2-digit DOPA province code.")
        ],
        dol_district_code: Annotated[
            str,
            strawberry.argument(
                description="The Department of Lands' district code: DOPA's 2-digit number "
                "outside Bangkok, DOL's own in Bangkok (01 .. 37, ก1, น2, ช3, ต4 ...)."
            ),
        ],
        deed_no: Annotated[str, strawberry.argument(description="The title deed number.")],
    ) -> Parcel | None:
        province, district, deed = _validated(province_code, dol_district_code, deed_no)
        client = LandsMapsClient(info.context.connector(CONNECTOR), info.context.request_id)
        found = await client.parcel(province, district, deed)
        if found.value is None:
            return None
        return _parcel(info, found.value, province, district, found.as_of, found.stale)


def _parcel(
    info: Info, parcel: LandParcel, province: str, district: str, as_of: dt.datetime, stale: bool
) -> Parcel:
    view = info.context.registry
    code = dol_district_area(view.snapshot.from_external, province, district)
    district_node = None if code is None else view.nodes.find(code)
    tambon = None if code is None else subdistrict_named(
        view.snapshot.children(code), parcel.subdistrict_name
    )  # fmt: skip
    has_point = parcel.latitude is not None and parcel.longitude is not None
    return Parcel(
        deed_no=parcel.deed_no,
        survey_no=parcel.survey_no,
        land_no=parcel.land_no,
        parcel_type=parcel.parcel_type,
        utm_sheet=parcel.utm_sheet,
        area=ParcelArea(
            rai=parcel.area.rai,
            ngan=parcel.area.ngan,
            square_wa=parcel.area.square_wa,
            square_metres=parcel.area.square_metres,
        ),
        land_price_per_square_wa=parcel.land_price_per_square_wa,
        location=GeoPoint(latitude=parcel.latitude, longitude=parcel.longitude)  # type: ignore[arg-type]
        if has_point
        else None,
        subdistrict_name=parcel.subdistrict_name,
        district_name=parcel.district_name,
        province_name=parcel.province_name,
        district=district_node,  # type: ignore[arg-type]
        subdistrict=None if tambon is None else view.nodes.node(tambon),  # type: ignore[arg-type]
        as_of=as_of,
        source=CONNECTOR,
        stale=stale,
    )
