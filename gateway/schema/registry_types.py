"""Types that describe the registry itself: releases, search matches and code resolutions."""

from __future__ import annotations

import datetime as dt

import strawberry

from central_codes.history import Certainty as CertaintyKind
from central_codes.records import Basis, ReleaseInfo
from gateway.schema.areas import Area

__all__ = [
    "AreaMatch",
    "Certainty",
    "CodeResolution",
    "CurrentArea",
    "RegistryInfo",
    "Succession",
    "SuccessionBasis",
]

Certainty = strawberry.enum(
    CertaintyKind, description="How sure the registry is that one code became another."
)
SuccessionBasis = strawberry.enum(
    Basis, name="SuccessionBasis", description="What a succession rests on."
)


@strawberry.type(description="The registry release being served.")
class RegistryInfo:
    """Version, provenance and counts of the current release."""

    version: str = strawberry.field(description="Our release version, such as 2026.11.23.1.")
    source: str = strawberry.field(description="Where the release was loaded from.")
    source_version: str = strawberry.field(description="The version of that source's data.")
    loaded_at: dt.datetime = strawberry.field(description="When the release was loaded (UTC).")
    provinces: int = strawberry.field(description="Active provinces.")
    districts: int = strawberry.field(description="Active districts.")
    subdistricts: int = strawberry.field(description="Active subdistricts.")
    abolished: int = strawberry.field(description="Abolished codes kept with their history.")
    attribution: str = strawberry.field(description="Credit the data's licence asks for.")

    @classmethod
    def of(cls, release: ReleaseInfo) -> RegistryInfo:
        """The graph object of a release."""
        return cls(
            version=release.version,
            source=release.source,
            source_version=release.source_version,
            loaded_at=release.loaded_at,
            provinces=release.provinces,
            districts=release.districts,
            subdistricts=release.subdistricts,
            abolished=release.abolished,
            attribution=ATTRIBUTION,
        )


ATTRIBUTION = (
    "Administrative codes: Department of Provincial Administration, via GeoThai/data "
    "(CC BY 4.0); postal codes: Thailand Post; area points: GeoNames (CC BY 4.0)."
)


@strawberry.type(description="One search result.")
class AreaMatch:
    """An area found by name."""

    area: Area = strawberry.field(description="The area found.")
    matched_name: str = strawberry.field(description="The name of it that matched the query.")
    score: float = strawberry.field(
        description="1.0 whole name, 0.8 beginning of a name, 0.5 anywhere in a name."
    )


@strawberry.type(description="One direct step from an abolished code to a successor.")
class Succession:
    """A successor with the evidence for it."""

    area: Area = strawberry.field(description="The successor.")
    basis: Basis = strawberry.field(description="What the link rests on.")
    certainty: CertaintyKind = strawberry.field(description="How sure the link is.")
    in_force_on: dt.date | None = strawberry.field(description="When the change took legal effect.")
    source: str | None = strawberry.field(description="The notice that made the change.")


@strawberry.type(description="An active area an abolished code leads to today.")
class CurrentArea:
    """The end of a chain of successions."""

    area: Area = strawberry.field(description="The active area.")
    certainty: CertaintyKind = strawberry.field(description="The weakest link on the way.")
    path: list[strawberry.ID] = strawberry.field(description="Codes from the old one to this one.")


@strawberry.type(description="What the registry knows of a code.")
class CodeResolution:
    """An active code, an abolished one with its successors, or an unknown one."""

    code: strawberry.ID = strawberry.field(description="The code asked for.")
    known: bool = strawberry.field(description="False when no area ever had this code.")
    area: Area | None = strawberry.field(description="The area, active or abolished.")
    abolished_on: dt.date | None = strawberry.field(description="When it was abolished.")
    successors: list[Succession] = strawberry.field(description="Its direct successors.")
    current: list[CurrentArea] = strawberry.field(
        description="The active areas it stands for today (itself when active), transitively."
    )
