"""MOI 1567 / Damrongdhama complaint centres: hand a complaint over, read where it stands.

Contract [assumed] as a whole (no public API exists; this is our proposal to the agency):

- ``POST /complaints`` with ``{category, subject, detail, areaCode, contact{name, phone |
  email}, clientReference}`` -> 201 ``{trackingNumber, status, receivedAt}``; idempotent on
  ``clientReference`` (the same reference again answers the same complaint, stores nothing);
  409 when the reference was used for another complaint; 422 ``{"error": {"code", "message",
  "fields"}}`` naming the invalid fields.
- ``GET /complaints/{trackingNumber}`` -> the complaint with ``status`` and
  ``history[{status, statusText, at, note}]``; 404 when unknown.

A submission is never retried by the runtime: the outbox that calls :meth:`submit` owns the
retries, and sends our own tracking number as ``clientReference`` so a repeat is harmless.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import (
    Fetched,
    Refused,
    UpstreamRequest,
    UpstreamResponse,
    required_text,
)

__all__ = [
    "CONNECTOR",
    "AgencyComplaint",
    "AgencyEvent",
    "AgencyReceipt",
    "Complaints1567Client",
    "Refused",
    "map_complaint",
    "map_receipt",
]

CONNECTOR = "complaints_1567"


@dataclass(frozen=True, slots=True)
class AgencyReceipt:
    """What 1567 answers when it takes a complaint."""

    tracking_number: str
    status: str
    received_at: str


@dataclass(frozen=True, slots=True)
class AgencyEvent:
    """One step of a complaint at 1567."""

    status: str
    status_text: str
    at: str
    note: str


@dataclass(frozen=True, slots=True)
class AgencyComplaint:
    """Where a complaint stands at 1567."""

    tracking_number: str
    status: str
    history: tuple[AgencyEvent, ...]


def map_receipt(status: int, payload: Any) -> AgencyReceipt | Refused:
    """A receipt from a 201 (or 200), the refusal from a 409 or 422."""
    if status in (409, 422):
        return Refused.of(status, payload)
    return AgencyReceipt(
        tracking_number=required_text(payload["trackingNumber"], "trackingNumber"),
        status=required_text(payload["status"], "status"),
        received_at=required_text(payload["receivedAt"], "receivedAt"),
    )


def map_complaint(payload: Mapping[str, Any]) -> AgencyComplaint:
    """A complaint's status and history as 1567 shows them."""
    history = payload["history"]
    if not isinstance(history, list):
        raise TypeError("history is not a list")
    return AgencyComplaint(
        tracking_number=required_text(payload["trackingNumber"], "trackingNumber"),
        status=required_text(payload["status"], "status"),
        history=tuple(
            AgencyEvent(
                status=required_text(e["status"], "status"),
                status_text=str(e.get("statusText") or ""),
                at=required_text(e["at"], "at"),
                note=str(e.get("note") or ""),
            )
            for e in history
        ),
    )


class Complaints1567Client:
    """Submit complaints and read their status; one instance per use, no I/O at birth."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def submit(self, body: Mapping[str, Any]) -> AgencyReceipt | Refused:
        """Hand one complaint over (``body`` as the contract names its fields)."""
        request = UpstreamRequest(
            method="POST",
            path="/complaints",
            json=dict(body),
            request_id=self._request_id,
            idempotent=False,  # the outbox retries, with backoff that survives a restart
            handled_statuses=frozenset({409, 422}),
        )
        fetched = await self._runtime.fetch(request, parse=_receipt)
        return fetched.value

    async def status(self, tracking_number: str) -> Fetched[AgencyComplaint | None]:
        """A complaint's status and history at 1567 (None when 1567 does not know it)."""
        request = UpstreamRequest(
            path=f"/complaints/{quote(tracking_number, safe='')}",
            request_id=self._request_id,
            handled_statuses=frozenset({404}),
        )
        return await self._runtime.fetch(
            request, parse=_complaint, cache_key=f"complaint:{tracking_number}", ttl_seconds=30
        )


def _receipt(response: UpstreamResponse) -> AgencyReceipt | Refused:
    return map_receipt(response.status, response.json())


def _complaint(response: UpstreamResponse) -> AgencyComplaint | None:
    return None if response.status == 404 else map_complaint(response.json())
