"""A service procedure from info.go.th's citizen's manual: steps, documents to bring, fees and
where to complain."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.connectors import infogoth
from gateway.connectors.messages import Fetched

__all__ = [
    "ComplaintChannel",
    "ProcedureDocument",
    "ProcedureFee",
    "ProcedureStep",
    "ServiceProcedure",
]


@strawberry.type(description="One step of a procedure, in order.")
class ProcedureStep:
    """A step and how long it takes."""

    number: int = strawberry.field(description="Its place in the procedure, from 1.")
    name: str = strawberry.field(description="The step, in Thai.")
    description: str = strawberry.field(description="What happens in it, in Thai.")
    duration: float = strawberry.field(description="How long it takes, in `durationUnit`.")
    duration_unit: str = strawberry.field(description="The unit of `duration`, in Thai (วัน, นาที).")
    responsible_unit: str = strawberry.field(description="Who does it.")


@strawberry.type(description="A document to bring.")
class ProcedureDocument:
    """A document, and whether a photocopy of it is still asked for."""

    name: str = strawberry.field(description="The document, in Thai.")
    issued_by: str = strawberry.field(description="Who issues it ('-' when anyone may).")
    originals: int = strawberry.field(description="How many originals to show.")
    copies: int = strawberry.field(description="How many photocopies to bring.")
    unit: str = strawberry.field(description="The unit of the counts, in Thai (ฉบับ).")
    no_copy: bool = strawberry.field(
        description="True when no photocopy of it is asked for (the No Copy programme)."
    )


@strawberry.type(description="A fee of a procedure.")
class ProcedureFee:
    """An amount in a currency."""

    description: str = strawberry.field(description="What it is for, in Thai.")
    amount: float = strawberry.field(description="The amount; 0 for a free procedure.")
    currency: str = strawberry.field(description="The currency, as info.go.th writes it (บาท).")


@strawberry.type(description="Where to complain about a service.")
class ComplaintChannel:
    """A complaint channel."""

    name: str = strawberry.field(description="The office or centre, in Thai.")
    telephone: str | None = strawberry.field(description="Its telephone number, if given.")
    website: str | None = strawberry.field(description="Its website, if given.")


@strawberry.type(description="A service procedure from the citizen's manual (info.go.th).")
class ServiceProcedure:
    """One procedure, as info.go.th's citizen's manual describes it."""

    id: strawberry.ID = strawberry.field(description="info.go.th's ProcedureID.")
    name: str = strawberry.field(description="The procedure's title, in Thai.")
    category: str = strawberry.field(description="Its category, in Thai (ทะเบียนราษฎร, ที่ดิน ...).")
    organisation: str = strawberry.field(description="The organisation responsible, in Thai.")
    steps: list[ProcedureStep] = strawberry.field(description="Its steps, in order.")
    documents: list[ProcedureDocument] = strawberry.field(description="The documents to bring.")
    fees: list[ProcedureFee] = strawberry.field(description="Its fees.")
    complaint_channels: list[ComplaintChannel] = strawberry.field(
        description="Where to complain about it."
    )
    no_copy: bool = strawberry.field(
        description="True when none of its documents is asked for as a photocopy."
    )
    source: str = strawberry.field(description="The connector it came from (infogoth).")
    as_of: dt.datetime = strawberry.field(description="When info.go.th gave it.")
    stale: bool = strawberry.field(
        description="True when info.go.th failed and this is its last answer, past its TTL."
    )

    @classmethod
    def of(cls, fetched: Fetched[infogoth.ServiceProcedure]) -> ServiceProcedure:
        """The graph object of a fetched procedure."""
        procedure = fetched.value
        documents = [_document(d) for d in procedure.documents]
        return cls(
            id=strawberry.ID(str(procedure.header.procedure_id)),
            name=procedure.header.name,
            category=procedure.header.category,
            organisation=procedure.header.organisation,
            steps=[_step(s) for s in procedure.steps],
            documents=documents,
            fees=[_fee(f) for f in procedure.fees],
            complaint_channels=[_channel(c) for c in procedure.complaint_channels],
            no_copy=all(d.no_copy for d in documents),
            source=infogoth.NAME,
            as_of=fetched.as_of,
            stale=fetched.stale,
        )


def _step(step: infogoth.ProcedureStep) -> ProcedureStep:
    return ProcedureStep(
        number=step.number,
        name=step.name,
        description=step.description,
        duration=step.duration,
        duration_unit=step.duration_unit,
        responsible_unit=step.responsible_unit,
    )


def _document(document: infogoth.ProcedureDocument) -> ProcedureDocument:
    return ProcedureDocument(
        name=document.name,
        issued_by=document.issued_by,
        originals=document.originals,
        copies=document.copies,
        unit=document.unit,
        no_copy=document.no_copy,
    )


def _fee(fee: infogoth.ProcedureFee) -> ProcedureFee:
    return ProcedureFee(
        description=fee.description, amount=float(fee.amount), currency=fee.currency
    )


def _channel(channel: infogoth.ComplaintChannel) -> ComplaintChannel:
    return ComplaintChannel(name=channel.name, telephone=channel.telephone, website=channel.website)
