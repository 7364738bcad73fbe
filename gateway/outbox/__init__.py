"""The durable outbox: requests to agencies written in the same transaction as the business row,
delivered in the background with retries until the agency has them, exactly once by their
idempotency key.

Use it in three steps::

    async with sessions() as session, session.begin():
        session.add(complaint)
        enqueue(session, "complaint", complaint.idempotency_key, {...})   # same transaction
    worker.notify()                                                       # deliver now

    worker.register("complaint", deliver_complaint)   # once, before the lifespan starts it
"""

from __future__ import annotations

from gateway.outbox.models import DELIVERED, FAILED, PENDING, OutboxBase, OutboxRow
from gateway.outbox.queue import OutboxDepth, OutboxMessage, enqueue
from gateway.outbox.worker import (
    Delivery,
    DeliveryRejected,
    DeliveryReport,
    OutboxPolicy,
    OutboxWorker,
)

__all__ = [
    "DELIVERED",
    "FAILED",
    "PENDING",
    "Delivery",
    "DeliveryRejected",
    "DeliveryReport",
    "OutboxBase",
    "OutboxDepth",
    "OutboxMessage",
    "OutboxPolicy",
    "OutboxRow",
    "OutboxWorker",
    "enqueue",
]
