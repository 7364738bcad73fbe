"""The outbox's delivery of complaints to 1567, and what we record of its answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.complaints.store import ComplaintStore
from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.complaints_1567 import (
    CONNECTOR,
    AgencyReceipt,
    Complaints1567Client,
    Refused,
)
from gateway.connectors.registry import RuntimeSource
from gateway.outbox import OutboxMessage
from gateway.outbox.agency import AgencyDelivery

__all__ = ["ComplaintDelivery"]


class ComplaintDelivery(AgencyDelivery[AgencyReceipt]):
    """Sends one complaint to 1567; a 409 or 422 rejects it, other failures are retried."""

    connector = CONNECTOR

    def __init__(self, store: ComplaintStore, runtime: RuntimeSource) -> None:
        super().__init__(runtime)
        self._store = store

    async def send(
        self, runtime: ConnectorRuntime, request_id: str, message: OutboxMessage
    ) -> AgencyReceipt | Refused:
        """POST the complaint."""
        return await Complaints1567Client(runtime, request_id).submit(message.payload)

    async def accepted(self, number: str, answer: AgencyReceipt) -> Mapping[str, Any]:
        """Record 1567's tracking number in the complaint's history."""
        await self._store.delivered(
            number, answer.tracking_number, f"ศูนย์ 1567 รับเรื่องแล้ว เลขรับเรื่อง {answer.tracking_number}"
        )
        return {
            "trackingNumber": answer.tracking_number,
            "status": answer.status,
            "receivedAt": answer.received_at,
        }

    async def refused(self, number: str, refusal: Refused) -> None:
        """Record 1567's refusal in the complaint's history."""
        note = f"1567 ปฏิเสธเรื่อง ({refusal.code}: {', '.join(refusal.fields) or refusal.message})"
        await self._store.rejected(number, note)
