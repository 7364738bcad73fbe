"""What subscribers are told: an alert that is new, updated or cancelled, and the areas it concerns.

An event is made when a poll adds an Actual alert that has not expired; exercises, tests, drafts
and system messages never make one. An event's identity is the alert's ``sender``,
``identifier`` and ``sent``: instances that read the same document make the same event, which
lets the fan-out send it once. Events cross instances as JSON (:func:`encode`, :func:`decode`).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass
from typing import Any

from gateway.alerts.areas import MappedArea
from gateway.alerts.store import AlertStore, StoredAlert
from gateway.connectors.cap_alerts import CapAlert, CapArea, CapInfo, CapReference

__all__ = ["AlertChange", "AlertEvent", "decode", "encode", "event_for"]


class AlertChange(enum.Enum):
    """What happened to an alert: CAP's ``msgType`` Alert, Update or Cancel."""

    NEW = "NEW"
    UPDATED = "UPDATED"
    CANCELLED = "CANCELLED"


_CHANGES = {
    "Alert": AlertChange.NEW,
    "Update": AlertChange.UPDATED,
    "Cancel": AlertChange.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One change, the alert that made it, and the registry codes of the areas it concerns."""

    change: AlertChange
    stored: StoredAlert
    codes: frozenset[str]  # its own areas' and those of the alerts it updates or cancels

    @property
    def id(self) -> str:
        """``sender,identifier,sent``: the same for every instance that reads the alert."""
        alert = self.stored.alert
        return f"{alert.sender},{alert.identifier},{alert.sent.isoformat()}"

    def concerns(self, code: str) -> bool:
        """True when the alert is for ``code`` or an area above it."""
        return any(code.startswith(c) for c in self.codes)


def event_for(stored: StoredAlert, store: AlertStore, now: dt.datetime) -> AlertEvent | None:
    """The event a newly stored alert makes, or None when subscribers are not to hear of it.

    A Cancel or Update concerns the areas of what it references too, so that a Cancel without
    areas of its own still reaches the subscribers of the alert it ends.
    """
    change = _CHANGES.get(stored.alert.msg_type)
    if change is None or stored.alert.status != "Actual" or stored.expired(now):
        return None
    referenced = (store.get(r.key) for r in stored.alert.references)
    codes = stored.codes.union(*(r.codes for r in referenced if r is not None))
    return AlertEvent(change, stored, codes)


def encode(event: AlertEvent) -> bytes:
    """The event as JSON."""
    return json.dumps(_plain(event), ensure_ascii=False).encode()


def decode(data: bytes | str) -> AlertEvent:
    """The event :func:`encode` wrote; ValueError, KeyError or TypeError when it is not one."""
    raw = json.loads(data)
    stored = raw["stored"]
    return AlertEvent(
        AlertChange(raw["change"]),
        StoredAlert(
            _alert(stored["alert"]),
            tuple(
                tuple(MappedArea(a["desc"], tuple(a["codes"])) for a in i) for i in stored["areas"]
            ),
            _time(stored["as_of"]),
        ),
        frozenset(raw["codes"]),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset):
        return [_plain(v) for v in (sorted(value) if isinstance(value, frozenset) else value)]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def _alert(raw: dict[str, Any]) -> CapAlert:
    return CapAlert(
        identifier=raw["identifier"],
        sender=raw["sender"],
        sent=_time(raw["sent"]),
        status=raw["status"],
        msg_type=raw["msg_type"],
        scope=raw["scope"],
        references=tuple(
            CapReference(r["sender"], r["identifier"], _time(r["sent"])) for r in raw["references"]
        ),
        infos=tuple(_info(i) for i in raw["infos"]),
    )


def _info(raw: dict[str, Any]) -> CapInfo:
    areas = (CapArea(a["desc"], tuple((g[0], g[1]) for g in a["geocodes"])) for a in raw["areas"])
    return CapInfo(
        language=raw["language"],
        categories=tuple(raw["categories"]),
        event=raw["event"],
        urgency=raw["urgency"],
        severity=raw["severity"],
        certainty=raw["certainty"],
        effective=_optional_time(raw["effective"]),
        onset=_optional_time(raw["onset"]),
        expires=_optional_time(raw["expires"]),
        sender_name=raw["sender_name"],
        headline=raw["headline"],
        description=raw["description"],
        instruction=raw["instruction"],
        areas=tuple(areas),
    )


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _optional_time(text: str | None) -> dt.datetime | None:
    return None if text is None else _time(text)
