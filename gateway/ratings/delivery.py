"""The outbox's delivery of ratings to CITIZENinfo, and what we record of its answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.citizeninfo import NAME, AgencyRating, CitizenInfoClient, Refused
from gateway.connectors.registry import RuntimeSource
from gateway.outbox import OutboxMessage
from gateway.outbox.agency import AgencyDelivery
from gateway.ratings.store import RatingStore

__all__ = ["RatingDelivery"]


class RatingDelivery(AgencyDelivery[AgencyRating]):
    """Sends one rating to CITIZENinfo. A 404 (the point is gone), 409 (the reference holds
    another rating) or 422 rejects it, kept with the reason; other failures are retried."""

    connector = NAME

    def __init__(self, store: RatingStore, runtime: RuntimeSource) -> None:
        super().__init__(runtime)
        self._store = store

    async def send(
        self, runtime: ConnectorRuntime, request_id: str, message: OutboxMessage
    ) -> AgencyRating | Refused:
        """POST the rating to its point."""
        client = CitizenInfoClient(runtime, request_id)
        return await client.rate(message.payload["pointId"], message.payload["body"])

    async def accepted(self, key: str, answer: AgencyRating) -> Mapping[str, Any]:
        """The rating is delivered: from now on CITIZENinfo's figure can include it."""
        await self._store.delivered(key, answer.rating_id)
        return {"ratingId": answer.rating_id, "replayed": answer.replayed}

    async def refused(self, key: str, refusal: Refused) -> None:
        """The rating is rejected, with CITIZENinfo's reason."""
        reason = f"CITIZENinfo HTTP {refusal.status} {refusal.code}: {refusal.message}"
        await self._store.rejected(key, reason[:1000])
