"""info.go.th, the citizen's-manual backend: a service procedure with its steps, documents to
bring, fees and complaint channels.

Contract:

- [known] the paths, each a GET with the id as the last segment:
  ``/Api/Procedure/a/GetProcedureDetailV2/{ProcedureID}`` (names the procedure's
  ``CitizenGuides[{CitizenGuideID}]``), ``/Api/CitizenGuide/a/GetCitizenGuideDetail/{id}`` and
  ``/Api/CitizenGuide/a/GetCitizenGuide{Steps,Documents,Fees,Complains}ByCitizenGuideID/{id}``;
  PascalCase keys (ASP.NET Web API).
- [assumed] every other field name used below, and that an unknown id answers 200 with
  ``null`` (details) or ``[]`` (lists).

A procedure costs one call for its detail, then four for its guide's lists, sent together;
each answer is cached under its own key, so a procedure read again within the TTL costs none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse

__all__ = [
    "NAME",
    "ComplaintChannel",
    "InfoGoThClient",
    "ProcedureDocument",
    "ProcedureFee",
    "ProcedureHeader",
    "ProcedureStep",
    "ServiceProcedure",
    "map_complaint_channel",
    "map_document",
    "map_fee",
    "map_header",
    "map_step",
]

NAME = "infogoth"
_GUIDE = "/Api/CitizenGuide/a/GetCitizenGuide"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProcedureHeader:
    """What ``GetProcedureDetailV2`` says: the procedure, its category and its guide."""

    procedure_id: int
    name: str
    category: str
    organisation: str
    guide_id: int


@dataclass(frozen=True, slots=True)
class ProcedureStep:
    """One step of a procedure; ``duration`` is in ``duration_unit`` (Thai: วัน, นาที)."""

    number: int
    name: str
    description: str
    duration: float
    duration_unit: str
    responsible_unit: str


@dataclass(frozen=True, slots=True)
class ProcedureDocument:
    """A document to bring; ``no_copy`` is true when no photocopy of it is asked for."""

    number: int
    name: str
    issued_by: str
    originals: int
    copies: int
    unit: str
    no_copy: bool


@dataclass(frozen=True, slots=True)
class ProcedureFee:
    """One fee, in ``currency`` (Thai: บาท); 0 for a free procedure."""

    number: int
    description: str
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class ComplaintChannel:
    """Where to complain about the service."""

    number: int
    name: str
    telephone: str | None
    website: str | None


@dataclass(frozen=True, slots=True)
class ServiceProcedure:
    """A procedure with its citizen's-manual guide."""

    header: ProcedureHeader
    steps: tuple[ProcedureStep, ...]
    documents: tuple[ProcedureDocument, ...]
    fees: tuple[ProcedureFee, ...]
    complaint_channels: tuple[ComplaintChannel, ...]


class InfoGoThClient:
    """Procedures from info.go.th, each read whole (detail, steps, documents, fees, channels)."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def procedure(self, procedure_id: int) -> Fetched[ServiceProcedure | None]:
        """A procedure by its ``ProcedureID``; None when info.go.th does not know it."""
        header = await self._get(
            f"/Api/Procedure/a/GetProcedureDetailV2/{procedure_id}", map_header_response
        )
        if header.value is None:
            return Fetched(None, header.freshness, header.as_of, header.error)
        guide = header.value.guide_id
        steps, documents, fees, channels = await asyncio.gather(
            self._get(f"{_GUIDE}StepsByCitizenGuideID/{guide}", _lister(map_step)),
            self._get(f"{_GUIDE}DocumentsByCitizenGuideID/{guide}", _lister(map_document)),
            self._get(f"{_GUIDE}FeesByCitizenGuideID/{guide}", _lister(map_fee)),
            self._get(f"{_GUIDE}ComplainsByCitizenGuideID/{guide}", _lister(map_complaint_channel)),
        )
        procedure = ServiceProcedure(
            header.value, steps.value, documents.value, fees.value, channels.value
        )
        return _combined(procedure, (header, steps, documents, fees, channels))

    async def _get(self, path: str, parse: Callable[[UpstreamResponse], T]) -> Fetched[T]:
        request = UpstreamRequest(path=path, request_id=self._request_id)
        return await self._runtime.fetch(request, parse=parse, cache_key=path)


def _combined(value: T, parts: Sequence[Fetched[Any]]) -> Fetched[T]:
    """``value`` as old as its oldest part, stale when any part is."""
    oldest = min(parts, key=lambda part: part.as_of)
    stale = next((part for part in parts if part.stale), None)
    if stale is not None:
        return Fetched(value, stale.freshness, oldest.as_of, stale.error)
    return Fetched(value, oldest.freshness, oldest.as_of)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _optional(value: Any) -> str | None:
    return _text(value) or None


def map_header(item: Mapping[str, Any]) -> ProcedureHeader:
    """``GetProcedureDetailV2`` as ours: the first of its citizen guides is the procedure's."""
    return ProcedureHeader(
        procedure_id=int(item["ProcedureID"]),
        name=_text(item["ProcedureName"]),
        category=_text(item.get("Category")),
        organisation=_text(item.get("OrganizationName")),
        guide_id=int(item["CitizenGuides"][0]["CitizenGuideID"]),
    )


def map_header_response(response: UpstreamResponse) -> ProcedureHeader | None:
    """The procedure's header, or None when info.go.th answers ``null``."""
    payload = response.json()
    return None if payload is None else map_header(payload)


def map_step(item: Mapping[str, Any]) -> ProcedureStep:
    """One ``GetCitizenGuideStepsByCitizenGuideID`` entry as ours."""
    return ProcedureStep(
        number=int(item["StepNo"]),
        name=_text(item["StepName"]),
        description=_text(item.get("Description")),
        duration=float(item.get("Duration") or 0),
        duration_unit=_text(item.get("DurationUnit")),
        responsible_unit=_text(item.get("ResponsibleUnit")),
    )


def map_document(item: Mapping[str, Any]) -> ProcedureDocument:
    """One document entry; without a ``NoCopy`` flag, no copies asked for means no copy."""
    copies = int(item.get("CopyCount") or 0)
    flag = item.get("NoCopy")
    return ProcedureDocument(
        number=int(item["DocumentNo"]),
        name=_text(item["DocumentName"]),
        issued_by=_text(item.get("IssuedBy")),
        originals=int(item.get("OriginalCount") or 0),
        copies=copies,
        unit=_text(item.get("Unit")),
        no_copy=copies == 0 if flag is None else bool(flag) and copies == 0,
    )


def map_fee(item: Mapping[str, Any]) -> ProcedureFee:
    """One fee entry (amounts as numbers or numeric strings)."""
    return ProcedureFee(
        number=int(item["FeeNo"]),
        description=_text(item.get("FeeDescription")),
        amount=Decimal(str(item.get("Amount") or 0)),
        currency=_text(item.get("Currency")),
    )


def map_complaint_channel(item: Mapping[str, Any]) -> ComplaintChannel:
    """One complaint channel entry."""
    return ComplaintChannel(
        number=int(item["ComplainNo"]),
        name=_text(item["ChannelName"]),
        telephone=_optional(item.get("Telephone")),
        website=_optional(item.get("Website")),
    )


def _lister(
    mapper: Callable[[Mapping[str, Any]], T],
) -> Callable[[UpstreamResponse], tuple[T, ...]]:
    """A parse function for a list endpoint: ``null`` or ``[]`` is empty, entries by number."""

    def parse(response: UpstreamResponse) -> tuple[T, ...]:
        payload = response.json()
        return () if payload is None else tuple(mapper(item) for item in payload)

    return parse
