"""Disaster alerts kept in memory: CAP alerts threaded by ``references``, mapped onto registry
codes (``areas``), held in a store (``store``) that a poller (``poller``) refreshes from the
feed, and told to subscribers as events (``events``) through a fan-out (``fanout``) that spans
instances.
"""

from __future__ import annotations

from gateway.alerts.areas import AreaMapper, MappedArea
from gateway.alerts.events import AlertChange, AlertEvent
from gateway.alerts.fanout import AlertEvents, AlertSubscription, alert_events
from gateway.alerts.poller import AlertPoller, PollReport
from gateway.alerts.store import AlertStore, StoredAlert

__all__ = [
    "AlertChange",
    "AlertEvent",
    "AlertEvents",
    "AlertPoller",
    "AlertStore",
    "AlertSubscription",
    "AreaMapper",
    "MappedArea",
    "PollReport",
    "StoredAlert",
    "alert_events",
]
