"""Complaints to the 1567 / Damrongdhama centres: accepted here, delivered by the outbox.

:class:`Complaints` is what the graph uses: :meth:`~Complaints.file` validates, stores the
complaint and its outbox message in the transaction that issues our tracking number, and
answers only after that commit; the outbox worker then delivers it to 1567 with retries and
backoff (:class:`~gateway.complaints.delivery.ComplaintDelivery`), recording 1567's tracking
number when it answers.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.snapshot import Snapshot
from gateway.complaints.delivery import ComplaintDelivery
from gateway.complaints.intake import Category, Centre, ComplaintDraft, Contact, centre_for
from gateway.complaints.models import ComplaintEventRow, ComplaintRow, ComplaintsBase
from gateway.complaints.store import (
    ACCEPTED,
    DELIVERED,
    OUTBOX_KIND,
    REJECTED,
    ComplaintRecord,
    ComplaintStore,
    Event,
)
from gateway.connectors.complaints_1567 import CONNECTOR, AgencyComplaint, Complaints1567Client
from gateway.connectors.messages import Fetched
from gateway.connectors.registry import RuntimeSource, runtime_of
from gateway.outbox import OutboxWorker

__all__ = [
    "ACCEPTED",
    "DELIVERED",
    "REJECTED",
    "Category",
    "Centre",
    "ComplaintDraft",
    "ComplaintEventRow",
    "ComplaintRecord",
    "ComplaintRow",
    "Complaints",
    "ComplaintsBase",
    "Contact",
    "Event",
    "centre_for",
]


class Complaints:
    """Filing and reading complaints; registers its delivery with the outbox worker."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: OutboxWorker,
        runtime: RuntimeSource,
    ) -> None:
        self.store = ComplaintStore(engine)
        self._outbox = outbox
        self._runtime = runtime
        outbox.register(OUTBOX_KIND, ComplaintDelivery(self.store, runtime))

    async def file(self, draft: ComplaintDraft, snapshot: Snapshot) -> ComplaintRecord:
        """Store (after commit, the receipt is durable) and wake the outbox to deliver now."""
        record = await self.store.file(draft, snapshot)
        if record.created:
            self._outbox.notify()
        return record

    async def find(self, tracking_number: str) -> ComplaintRecord | None:
        """A complaint and our history of it."""
        return await self.store.find(tracking_number)

    async def at_agency(
        self, agency_number: str, request_id: str | None
    ) -> Fetched[AgencyComplaint | None]:
        """Where 1567 says the complaint stands (cached briefly)."""
        runtime = runtime_of(self._runtime, CONNECTOR)
        return await Complaints1567Client(runtime, request_id).status(agency_number)
