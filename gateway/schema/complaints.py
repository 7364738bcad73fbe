"""``fileComplaint(input)`` and ``complaint(trackingNumber)``: complaints to 1567, never lost."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.access.fields import Restricted
from gateway.access.principal import PARTNER_SCOPE
from gateway.complaints import Category, ComplaintRecord, Contact, centre_for
from gateway.complaints.intake import validate
from gateway.connectors.complaints_1567 import CONNECTOR
from gateway.schema.context import Info

if TYPE_CHECKING:
    from gateway.schema.areas import Area

__all__ = ["ComplaintMutation", "ComplaintQuery"]

ComplaintCategory = strawberry.enum(
    Category,
    name="ComplaintCategory",
    description="The 1567 centres' complaint categories (each sent under its Thai name).",
)


@strawberry.input(description="How the centre reaches the complainant: a phone or an e-mail.")
class ComplaintContactInput:
    """The complainant's contact, kept for the centre only."""

    name: str = strawberry.field(description="The complainant's name, 1 to 200 characters.")
    phone: str | None = strawberry.field(
        default=None, description="A Thai phone number: 0 and 8 or 9 digits, or +66."
    )
    email: str | None = strawberry.field(default=None, description="An e-mail address.")


@strawberry.input(description="A complaint to the 1567 / Damrongdhama centres.")
class FileComplaintInput:
    """What a complainant tells the centre."""

    category: Category = strawberry.field(description="What the complaint is about.")
    subject: str = strawberry.field(description="A one-line subject, 1 to 200 characters.")
    detail: str = strawberry.field(description="What happened, 1 to 5,000 characters.")
    area_code: str = strawberry.field(
        description="The DOPA code of the area concerned (province, district or subdistrict); "
        "it decides the province's Damrongdhama centre."
    )
    contact: ComplaintContactInput = strawberry.field(description="How to reach the complainant.")
    idempotency_key: str = strawberry.field(
        description="The client's key for this complaint (8 to 100 of A-Z a-z 0-9 . _ : -): "
        "sending it again answers the same receipt and files nothing more."
    )


@strawberry.type(description="A Damrongdhama centre: one per province, and Bangkok's.")
class DamrongdhamaCentre:
    """The centre a complaint is routed to."""

    province_code: str = strawberry.field(description="The province it serves.")
    name: str = strawberry.field(description="Its name, in Thai.")


@strawberry.type(description="One step of a complaint, as the gateway or 1567 recorded it.")
class ComplaintEvent:
    """A status and when it was reached."""

    status: str = strawberry.field(
        description="ACCEPTED, DELIVERED or REJECTED here; RECEIVED, FORWARDED, IN_PROGRESS or "
        "CLOSED at 1567."
    )
    note: str = strawberry.field(description="What happened, in Thai.")
    at: dt.datetime = strawberry.field(description="When.")


@strawberry.type(description="Where 1567 says a complaint stands.")
class AgencyComplaintStatus:
    """1567's own view of the complaint."""

    tracking_number: str = strawberry.field(description="1567's tracking number.")
    status: str = strawberry.field(description="RECEIVED, FORWARDED, IN_PROGRESS or CLOSED.")
    history: list[ComplaintEvent] = strawberry.field(description="Its steps at 1567, oldest first.")
    as_of: dt.datetime = strawberry.field(description="When 1567 said so.")
    source: str = strawberry.field(description="The connector the status came from.")


@strawberry.type(description="How the centre reaches a complainant (personal data).")
class ComplaintContact:
    """The complainant's contact, as given."""

    name: str = strawberry.field(description="The complainant's name.")
    phone: str | None = strawberry.field(description="A Thai phone number, as given.")
    email: str | None = strawberry.field(description="An e-mail address, as given.")


@strawberry.type(description="A complaint and where it stands; its contact is for partners only.")
class Complaint:
    """One complaint, by our tracking number."""

    tracking_number: str = strawberry.field(description="Our tracking number (MOI-<BE year>-…).")
    status: str = strawberry.field(
        description="ACCEPTED (stored, being delivered), DELIVERED (1567 has it) or REJECTED."
    )
    category: Category = strawberry.field(description="What it is about.")
    subject: str = strawberry.field(description="Its subject.")
    area_code: str = strawberry.field(description="The DOPA code of the area concerned.")
    centre: DamrongdhamaCentre = strawberry.field(description="The centre it is routed to.")
    accepted_at: dt.datetime = strawberry.field(description="When the gateway accepted it.")
    agency_tracking_number: str | None = strawberry.field(
        description="1567's tracking number, once delivered."
    )
    history: list[ComplaintEvent] = strawberry.field(description="Our steps, oldest first.")
    contact: ComplaintContact | None = strawberry.field(
        description="How the centre reaches the complainant. Partner scope.",
        directives=[Restricted(scopes=[[PARTNER_SCOPE]])],
    )

    @strawberry.field(description="The area concerned.")
    def area(self, info: Info) -> Annotated[Area, strawberry.lazy("gateway.schema.areas")] | None:
        return info.context.registry.nodes.find(self.area_code)

    @strawberry.field(
        description="Where 1567 says it stands, asked live; null until delivered, or when 1567 "
        "fails (an error then says why)."
    )
    async def at_agency(self, info: Info) -> AgencyComplaintStatus | None:
        if self.agency_tracking_number is None:
            return None
        found = await info.context.complaint_service().at_agency(
            self.agency_tracking_number, info.context.request_id
        )
        if found.value is None:
            return None
        return AgencyComplaintStatus(
            tracking_number=found.value.tracking_number,
            status=found.value.status,
            history=[
                ComplaintEvent(status=e.status, note=e.note or e.status_text, at=_at(e.at))
                for e in found.value.history
            ],
            as_of=found.as_of,
            source=CONNECTOR,
        )

    @classmethod
    def of(cls, record: ComplaintRecord, info: Info) -> Complaint:
        """The graph object of a stored complaint."""
        row = record.row
        centre = centre_for(info.context.registry.snapshot, row.area_code)
        return cls(
            tracking_number=row.tracking_number,
            status=row.status,
            category=Category(row.category),
            subject=row.subject,
            area_code=row.area_code,
            centre=DamrongdhamaCentre(province_code=centre.province_code, name=centre.name),
            accepted_at=row.created_at,
            agency_tracking_number=row.agency_tracking_number,
            history=[ComplaintEvent(status=e.status, note=e.note, at=e.at) for e in record.history],
            contact=ComplaintContact(
                name=row.contact_name, phone=row.contact_phone, email=row.contact_email
            ),
        )


@strawberry.type(
    description="The receipt of a filed complaint: it is stored and will be delivered."
)
class ComplaintReceipt:
    """What fileComplaint answers, after the complaint is committed."""

    tracking_number: str = strawberry.field(description="Our tracking number; keep it.")
    complaint: Complaint = strawberry.field(description="The complaint as stored.")
    replayed: bool = strawberry.field(
        description="True when this idempotency key had already filed it: nothing new was filed."
    )


def _at(text: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


@strawberry.type
class ComplaintQuery:
    """Complaint root fields, merged into Query."""

    @strawberry.field(description="A complaint by our tracking number; null when unknown.")
    async def complaint(
        self,
        info: Info,
        tracking_number: Annotated[
            str, strawberry.argument(description="The number fileComplaint answered.")
        ],
    ) -> Complaint | None:
        found = await info.context.complaint_service().find(tracking_number.strip()[:32])
        return None if found is None else Complaint.of(found, info)


@strawberry.type
class ComplaintMutation:
    """Complaint mutations, merged into Mutation."""

    @strawberry.mutation(
        description="File a complaint: validated, stored with our tracking number and "
        "acknowledged once committed, then delivered to 1567 in the background, with retries."
    )
    async def file_complaint(self, info: Info, input: FileComplaintInput) -> ComplaintReceipt:
        snapshot = info.context.registry.snapshot
        draft = validate(
            snapshot,
            category=input.category,
            subject=input.subject,
            detail=input.detail,
            area_code=input.area_code,
            contact=Contact(input.contact.name, input.contact.phone, input.contact.email),
            idempotency_key=input.idempotency_key,
        )
        record = await info.context.complaint_service().file(draft, snapshot)
        return ComplaintReceipt(
            tracking_number=record.row.tracking_number,
            complaint=Complaint.of(record, info),
            replayed=not record.created,
        )
