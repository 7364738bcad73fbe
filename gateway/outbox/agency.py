"""The shape every delivery to an agency shares: :class:`AgencyDelivery`.

A subclass says how to send one message with its connector (:meth:`~AgencyDelivery.send`) and
what to record when the agency takes it (:meth:`~AgencyDelivery.accepted`) or refuses it for good
(:meth:`~AgencyDelivery.refused`); the base asks for the connector's runtime at each delivery
(the connectors open after the worker is made), names the upstream request after the message
and attempt, and turns a refusal into :class:`~gateway.outbox.worker.DeliveryRejected`. Any
other failure propagates and the worker tries again later.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Refused
from gateway.connectors.registry import RuntimeSource, runtime_of
from gateway.outbox.queue import OutboxMessage
from gateway.outbox.worker import DeliveryRejected

__all__ = ["AgencyDelivery"]

A = TypeVar("A")


class AgencyDelivery(abc.ABC, Generic[A]):
    """Delivers one outbox kind to one agency; register an instance with the worker."""

    connector: ClassVar[str]

    def __init__(self, runtime: RuntimeSource) -> None:
        self._runtime = runtime

    async def __call__(self, message: OutboxMessage) -> Mapping[str, Any]:
        """Deliver; the returned answer is kept on the outbox row."""
        runtime = runtime_of(self._runtime, self.connector)
        request_id = f"outbox-{message.id}-{message.attempts}"
        answer = await self.send(runtime, request_id, message)
        key = message.idempotency_key
        if isinstance(answer, Refused):
            await self.refused(key, answer)
            raise DeliveryRejected(
                f"{self.connector} refused {message.kind} {key}: HTTP {answer.status} "
                f"{answer.code}: {answer.message}"[:1000]
            )
        return await self.accepted(key, answer)

    @abc.abstractmethod
    async def send(
        self, runtime: ConnectorRuntime, request_id: str, message: OutboxMessage
    ) -> A | Refused:
        """Hand the message to the agency."""

    @abc.abstractmethod
    async def accepted(self, key: str, answer: A) -> Mapping[str, Any]:
        """Record that the agency has the message; the answer to keep on the outbox row."""

    @abc.abstractmethod
    async def refused(self, key: str, refusal: Refused) -> None:
        """Record that the agency refused the message for good."""
