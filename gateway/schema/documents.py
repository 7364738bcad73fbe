"""``verifyOfficialDocument(number, date)``: is a document in DLA's register?"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from gateway.connectors.dla_documents import CONNECTOR, DlaDocumentsClient, normalise_number
from gateway.errors import BadUserInput
from gateway.schema.context import Info

__all__ = ["DocumentsQuery", "OfficialDocument", "OfficialDocumentCheck"]

MAX_NUMBER_LENGTH = 100


@strawberry.type(description="A document of DLA's register.")
class OfficialDocument:
    """One register entry, as DLA lists it."""

    number: str = strawberry.field(description='Its number, such as "มท 0816.3/ว 1234".')
    date: dt.date = strawberry.field(description="Its date (Gregorian; DLA lists it in BE).")
    topic: str = strawberry.field(description="Its subject, in Thai.")
    issuing_office: str = strawberry.field(description="The DLA unit that issued it.")
    file_url: str | None = strawberry.field(description="Where DLA publishes its file (PDF).")


@strawberry.type(description="Whether a document number and date are in DLA's register.")
class OfficialDocumentCheck:
    """The answer of a register check; DLA has no signature API, so this is all "verify" means."""

    found: bool = strawberry.field(description="True when the number and date are in the register.")
    document: OfficialDocument | None = strawberry.field(
        description="The register's entry; null when not found."
    )
    as_of: dt.datetime = strawberry.field(description="When DLA's register was read.")
    source: str = strawberry.field(description="The connector the answer came from.")
    stale: bool = strawberry.field(
        description="True when DLA failed and this is its last register read, past its TTL."
    )


@strawberry.type
class DocumentsQuery:
    """Root field checking DLA's register, merged into Query."""

    @strawberry.field(
        description="Look a document up in DLA's register of official documents (cached)."
    )
    async def verify_official_document(
        self,
        info: Info,
        number: Annotated[
            str, strawberry.argument(description='The document number, e.g. "มท 0816.3/ว 1234".')
        ],
        date: Annotated[dt.date, strawberry.argument(description="Its date (Gregorian).")],
    ) -> OfficialDocumentCheck:
        if not normalise_number(number) or len(number) > MAX_NUMBER_LENGTH:
            raise BadUserInput(
                f"number must be 1 to {MAX_NUMBER_LENGTH} characters", argument="number"
            )
        client = DlaDocumentsClient(info.context.connector(CONNECTOR), info.context.request_id)
        found = await client.find(number, date)
        document = found.value
        return OfficialDocumentCheck(
            found=document is not None,
            document=None
            if document is None
            else OfficialDocument(
                number=document.number,
                date=document.date,
                topic=document.topic,
                issuing_office=document.issuing_office,
                file_url=document.file_url,
            ),
            as_of=found.as_of,
            source=CONNECTOR,
            stale=found.stale,
        )
