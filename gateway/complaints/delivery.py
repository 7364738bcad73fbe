"""The outbox's delivery of complaints to 1567, and what we record of its answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gateway.complaints.store import ComplaintStore
from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.complaints_1567 import CONNECTOR, Complaints1567Client, Refused
from gateway.errors import UpstreamUnavailable
from gateway.outbox import DeliveryRejected, OutboxMessage

__all__ = ["ComplaintDelivery"]


class ComplaintDelivery:
    """Sends one outbox message to 1567; registered with the outbox worker for its kind.

    ``runtime`` is asked for at each delivery: the connectors open after the worker is made.
    """

    def __init__(
        self, store: ComplaintStore, runtime: Callable[[], ConnectorRuntime | None]
    ) -> None:
        self._store = store
        self._runtime = runtime

    async def __call__(self, message: OutboxMessage) -> Mapping[str, Any]:
        """Deliver; the answer is kept on the outbox row. Failures are retried by the outbox."""
        runtime = self._runtime()
        if runtime is None:
            raise UpstreamUnavailable("the connectors are not open yet", connector=CONNECTOR)
        client = Complaints1567Client(runtime, f"outbox-{message.id}-{message.attempts}")
        answer = await client.submit(message.payload)
        number = message.idempotency_key
        if isinstance(answer, Refused):
            note = f"1567 ปฏิเสธเรื่อง ({answer.code}: {', '.join(answer.fields) or answer.message})"
            await self._store.rejected(number, note)
            raise DeliveryRejected(f"1567 refused complaint {number}: HTTP {answer.status}")
        await self._store.delivered(
            number, answer.tracking_number, f"ศูนย์ 1567 รับเรื่องแล้ว เลขรับเรื่อง {answer.tracking_number}"
        )
        return {
            "trackingNumber": answer.tracking_number,
            "status": answer.status,
            "receivedAt": answer.received_at,
        }
