"""``Subscription.disasterAlerts(areaCode)``: alerts as they are issued, updated and cancelled.

The resolver checks the area and subscribes before it returns, so an event polled after the
subscription is made reaches it; the fan-out (:mod:`gateway.alerts.fanout`) brings events
from whichever instance read the alert first.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator

import strawberry

from gateway.alerts import AlertEvent, AlertSubscription
from gateway.errors import BadAreaCode, UpstreamUnavailable
from gateway.schema.alerts import CONNECTOR, DisasterAlert
from gateway.schema.context import Info

__all__ = ["AlertEventsSubscription", "DisasterAlertChange", "DisasterAlertEvent"]


@strawberry.enum(description="What happened to a disaster alert.")
class DisasterAlertChange(enum.Enum):
    """CAP's ``msgType``: Alert is NEW, Update is UPDATED, Cancel is CANCELLED."""

    NEW = "NEW"
    UPDATED = "UPDATED"
    CANCELLED = "CANCELLED"


@strawberry.type(description="A disaster alert issued, updated or cancelled (Actual alerts only).")
class DisasterAlertEvent:
    """One change, carrying the alert that made it as the ``disasterAlerts`` field shows it."""

    change: DisasterAlertChange = strawberry.field(description="What happened.")
    alert: DisasterAlert = strawberry.field(
        description="The alert that made the change: the new alert, the Update (whose "
        "`replaces` names what it updates) or the Cancel (whose `replaces` names what it ends)."
    )

    @classmethod
    def of(cls, event: AlertEvent) -> DisasterAlertEvent:
        """The graph object of an event."""
        alert = DisasterAlert.of(event.stored, stale=False)
        return cls(change=DisasterAlertChange[event.change.name], alert=alert)


class _Events:
    """A subscription's events as graph objects; closing it ends the subscription."""

    def __init__(self, subscription: AlertSubscription) -> None:
        self._subscription = subscription

    def __aiter__(self) -> _Events:
        return self

    async def __anext__(self) -> DisasterAlertEvent:
        return DisasterAlertEvent.of(await self._subscription.__anext__())

    async def aclose(self) -> None:
        """Unsubscribe."""
        await self._subscription.aclose()


@strawberry.type
class AlertEventsSubscription:
    """The disaster-alert field of the subscription root."""

    @strawberry.subscription(
        description="Disaster alerts for this area or any area above it, as they are issued, "
        "updated and cancelled, from now on. BAD_AREA_CODE when no area has the code."
    )
    async def disaster_alerts(
        self, info: Info, area_code: strawberry.ID
    ) -> AsyncIterator[DisasterAlertEvent]:
        area = info.context.registry.nodes.find(str(area_code))
        if area is None:
            raise BadAreaCode(f"no area has code {str(area_code)[:20]!r}", argumentValue=area_code)
        poller = info.context.alerts
        if poller is None:
            raise UpstreamUnavailable("alerts are not being polled", connector=CONNECTOR)
        return _Events(poller.events.subscribe(str(area.code)))
