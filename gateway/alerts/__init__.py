"""Disaster alerts kept in memory: CAP alerts threaded by ``references``, mapped onto registry
codes (``areas``), held in a store (``store``) that a poller (``poller``) refreshes from the feed.
"""

from __future__ import annotations

from gateway.alerts.areas import AreaMapper, MappedArea
from gateway.alerts.poller import AlertPoller, PollReport
from gateway.alerts.store import AlertStore, StoredAlert

__all__ = ["AlertPoller", "AlertStore", "AreaMapper", "MappedArea", "PollReport", "StoredAlert"]
