"""Root fields over the registry: thin, they read arguments and ask the registry view."""

from __future__ import annotations

import re
from typing import Annotated

import strawberry

from central_codes.codes import Level
from central_codes.history import resolve
from gateway.errors import BadUserInput
from gateway.schema.areas import Area, District, Province, Subdistrict
from gateway.schema.context import Info
from gateway.schema.registry_types import (
    AreaMatch,
    CodeResolution,
    CurrentArea,
    RegistryInfo,
    Succession,
)

__all__ = ["RegistryQuery"]

MAX_BATCH = 1000
MAX_SEARCH = 100
_POSTAL = re.compile(r"[0-9]{5}")  # ASCII digits only; fullmatch, so no trailing newline


def _typed(info: Info, code: str, level: Level) -> Area | None:
    found = info.context.registry.nodes.find(code)
    return found if found is not None and found.record.level is level else None


@strawberry.type
class RegistryQuery:
    """Registry root fields, merged into Query."""

    @strawberry.field(description="Any area by code; null when no area has it.")
    def area(self, info: Info, code: strawberry.ID) -> Area | None:
        return info.context.registry.nodes.find(code)

    @strawberry.field(
        description="Several areas by code, in the order asked; null for unknown codes."
    )
    def areas(self, info: Info, codes: list[strawberry.ID]) -> list[Area | None]:
        if len(codes) > MAX_BATCH:
            raise BadUserInput(f"at most {MAX_BATCH} codes at once", argument="codes")
        find = info.context.registry.nodes.find
        return [find(code) for code in codes]

    @strawberry.field(description="Every active province, by code.")
    def provinces(self, info: Info) -> list[Province]:
        nodes = info.context.registry.nodes
        return nodes.nodes(nodes.snapshot.provinces)  # type: ignore[return-value]

    @strawberry.field(description="A province by its 2-digit code.")
    def province(self, info: Info, code: strawberry.ID) -> Province | None:
        return _typed(info, code, Level.PROVINCE)  # type: ignore[return-value]

    @strawberry.field(description="A district by its 4-digit code.")
    def district(self, info: Info, code: strawberry.ID) -> District | None:
        return _typed(info, code, Level.DISTRICT)  # type: ignore[return-value]

    @strawberry.field(description="A subdistrict by its 6-digit code.")
    def subdistrict(self, info: Info, code: strawberry.ID) -> Subdistrict | None:
        return _typed(info, code, Level.SUBDISTRICT)  # type: ignore[return-value]

    @strawberry.field(
        description="Areas by Thai or English name; tolerant of spaces, hyphens, level words "
        "and short forms (จ. อ. ต. เขต แขวง, กทม, เมือง)."
    )
    def search_areas(
        self,
        info: Info,
        query: str,
        level: Level | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100.")] = 10,
    ) -> list[AreaMatch]:
        if not 1 <= first <= MAX_SEARCH or len(query) > 200:
            raise BadUserInput(f"`first` must be 1 to {MAX_SEARCH}, `query` at most 200 characters")
        view = info.context.registry
        return [
            AreaMatch(area=view.nodes.node(m.area), matched_name=m.matched_name, score=m.score)
            for m in view.search.search(query, level, first)
        ]

    @strawberry.field(
        description="Subdistricts an address written by hand can mean; exactly one when it is "
        "unambiguous. An abolished name stands for the areas that replaced it."
    )
    def match_address(
        self,
        info: Info,
        subdistrict: str,
        district: str | None = None,
        province: str | None = None,
        postal_code: str | None = None,
    ) -> list[Subdistrict]:
        if any(len(part or "") > 200 for part in (subdistrict, district, province, postal_code)):
            raise BadUserInput("address parts are at most 200 characters each")
        view = info.context.registry
        found = view.matcher.match(subdistrict, district, province, postal_code)
        return view.nodes.subdistricts(tuple(found))

    @strawberry.field(description="The subdistricts that use a 5-digit postal code.")
    def areas_by_postal_code(self, info: Info, postal_code: str) -> list[Subdistrict]:
        if not _POSTAL.fullmatch(postal_code):
            raise BadUserInput("a postal code is 5 digits", argument="postalCode")
        view = info.context.registry
        return view.nodes.subdistricts(view.snapshot.by_postal_code.get(postal_code, ()))

    @strawberry.field(
        description="A code's status; for an abolished code, its successors and the active "
        "areas it leads to, with how sure each link is."
    )
    def resolve_code(self, info: Info, code: strawberry.ID) -> CodeResolution:
        view = info.context.registry
        found = resolve(view.snapshot, code)
        return CodeResolution(
            code=strawberry.ID(found.code),
            known=found.area is not None,
            area=None if found.area is None else view.nodes.node(found.area),
            abolished_on=None if found.area is None else found.area.abolished_on,
            successors=[
                Succession(
                    area=view.nodes.node(s.area),
                    basis=s.link.basis,
                    certainty=s.certainty,
                    in_force_on=s.link.in_force_on,
                    source=s.link.source,
                )
                for s in found.successors
            ],
            current=[
                CurrentArea(
                    area=view.nodes.node(c.area),
                    certainty=c.certainty,
                    path=[strawberry.ID(p) for p in c.path],
                )
                for c in found.current
            ],
        )

    @strawberry.field(description="The registry release being served: version, source, counts.")
    def registry(self, info: Info) -> RegistryInfo:
        return RegistryInfo.of(info.context.registry.snapshot.release)
