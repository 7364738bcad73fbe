"""Disaster alerts (DDPM, TMD) as CAP 1.2 documents listed in an Atom feed.

Contract:

- [known standard] each alert is a CAP 1.2 document (``urn:oasis:names:tc:emergency:cap:1.2``):
  ``identifier``, ``sender``, ``sent``, ``status``, ``msgType`` and ``scope`` are required, so
  are each ``info`` block's ``category``, ``event``, ``urgency``, ``severity`` and ``certainty``,
  each ``area``'s ``areaDesc`` and each ``geocode``'s ``valueName`` and ``value``. A document
  missing one is refused whole (UPSTREAM_BAD_RESPONSE), never half-read.
- [assumed] the index is ``GET /cap/feed.xml``, an Atom 1.0 feed with one entry per alert whose
  ``link rel="alternate" type="application/cap+xml"`` gives the document's URL; only that URL's
  path is used, joined to our configured base URL. The feed carries an ``ETag`` and answers 304
  to a matching ``If-None-Match``.

XML is read by :meth:`UpstreamResponse.xml`, which refuses entity declarations.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import urlsplit

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse

__all__ = [
    "CAP_NS",
    "FEED_PATH",
    "CapAlert",
    "CapAlertsClient",
    "CapArea",
    "CapFormatError",
    "CapInfo",
    "CapReference",
    "FeedPage",
    "map_alert",
    "map_feed",
    "map_reference",
]

NAME = "cap_alerts"
CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_PATH = "/cap/feed.xml"
STATUSES = frozenset({"Actual", "Exercise", "System", "Test", "Draft"})
MSG_TYPES = frozenset({"Alert", "Update", "Cancel", "Ack", "Error"})
_C = f"{{{CAP_NS}}}"


class CapFormatError(ValueError):
    """A CAP or Atom document that breaks the standard (the runtime reports it as bad data)."""


@dataclass(frozen=True, slots=True)
class CapReference:
    """One ``sender,identifier,sent`` triple of ``references``."""

    sender: str
    identifier: str
    sent: dt.datetime

    @property
    def key(self) -> tuple[str, str]:
        """The alert it names, as alerts are keyed: ``(sender, identifier)``."""
        return (self.sender, self.identifier)


@dataclass(frozen=True, slots=True)
class CapArea:
    """An ``area``: its description and its geocodes as ``(valueName, value)`` pairs."""

    desc: str
    geocodes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class CapInfo:
    """One ``info`` block, in one language."""

    language: str
    categories: tuple[str, ...]
    event: str
    urgency: str
    severity: str
    certainty: str
    effective: dt.datetime | None = None
    onset: dt.datetime | None = None
    expires: dt.datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    areas: tuple[CapArea, ...] = ()


@dataclass(frozen=True, slots=True)
class CapAlert:
    """One CAP 1.2 alert message."""

    identifier: str
    sender: str
    sent: dt.datetime
    status: str
    msg_type: str
    scope: str
    references: tuple[CapReference, ...] = ()
    infos: tuple[CapInfo, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """How alerts are keyed: ``(sender, identifier)``."""
        return (self.sender, self.identifier)


@dataclass(frozen=True, slots=True)
class FeedPage:
    """The feed's alert paths (newest first) and its ETag; ``paths`` None: unchanged (304)."""

    paths: tuple[str, ...] | None
    etag: str | None = None


def _text(parent: ElementTree.Element, tag: str) -> str | None:
    child = parent.find(_C + tag)
    return None if child is None or not child.text else child.text.strip() or None


def _required(parent: ElementTree.Element, tag: str) -> str:
    text = _text(parent, tag)
    if text is None:
        raise CapFormatError(f"CAP {parent.tag.removeprefix(_C)} lacks {tag}")
    return text


def _time(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CapFormatError(f"CAP time is not ISO 8601: {text!r}") from None
    if value.tzinfo is None:
        raise CapFormatError(f"CAP time without a time zone: {text!r}")
    return value


def _optional_time(text: str | None) -> dt.datetime | None:
    return None if text is None else _time(text)


def map_reference(triple: str) -> CapReference:
    """One ``sender,identifier,sent`` triple."""
    parts = triple.split(",")
    if len(parts) != 3 or not all(parts):
        raise CapFormatError(f"CAP reference is not sender,identifier,sent: {triple!r}")
    return CapReference(parts[0], parts[1], _time(parts[2]))


def _area(element: ElementTree.Element) -> CapArea:
    codes = tuple(
        (_required(g, "valueName"), _required(g, "value")) for g in element.findall(_C + "geocode")
    )
    return CapArea(_required(element, "areaDesc"), codes)


def _info(element: ElementTree.Element) -> CapInfo:
    categories = tuple(c.text.strip() for c in element.findall(_C + "category") if c.text)
    if not categories:
        raise CapFormatError("CAP info lacks category")
    return CapInfo(
        language=_text(element, "language") or "en-US",
        categories=categories,
        event=_required(element, "event"),
        urgency=_required(element, "urgency"),
        severity=_required(element, "severity"),
        certainty=_required(element, "certainty"),
        effective=_optional_time(_text(element, "effective")),
        onset=_optional_time(_text(element, "onset")),
        expires=_optional_time(_text(element, "expires")),
        sender_name=_text(element, "senderName"),
        headline=_text(element, "headline"),
        description=_text(element, "description"),
        instruction=_text(element, "instruction"),
        areas=tuple(_area(a) for a in element.findall(_C + "area")),
    )


def map_alert(root: ElementTree.Element) -> CapAlert:
    """A CAP 1.2 ``alert`` element; :class:`CapFormatError` when it breaks the standard."""
    if root.tag != _C + "alert":
        raise CapFormatError(f"not a CAP 1.2 alert: {root.tag}")
    status, msg_type = _required(root, "status"), _required(root, "msgType")
    if status not in STATUSES or msg_type not in MSG_TYPES:
        raise CapFormatError(f"CAP status or msgType out of the standard: {status} {msg_type}")
    references = (_text(root, "references") or "").split()
    return CapAlert(
        identifier=_required(root, "identifier"),
        sender=_required(root, "sender"),
        sent=_time(_required(root, "sent")),
        status=status,
        msg_type=msg_type,
        scope=_required(root, "scope"),
        references=tuple(map_reference(r) for r in references),
        infos=tuple(_info(i) for i in root.findall(_C + "info")),
    )


def map_feed(root: ElementTree.Element) -> tuple[str, ...]:
    """The paths of the CAP documents an Atom feed links to, in feed order."""
    if root.tag != f"{{{ATOM_NS}}}feed":
        raise CapFormatError(f"not an Atom feed: {root.tag}")
    paths = []
    for entry in root.findall(f"{{{ATOM_NS}}}entry"):
        links = entry.findall(f"{{{ATOM_NS}}}link")
        cap = [k for k in links if k.get("type") == "application/cap+xml" and k.get("href")]
        if not cap:
            raise CapFormatError("Atom entry without a CAP link")
        paths.append(urlsplit(cap[0].get("href", "")).path)
    return tuple(paths)


def _read_feed(response: UpstreamResponse) -> FeedPage:
    if response.status == 304:
        return FeedPage(None, response.headers.get("ETag"))
    return FeedPage(map_feed(response.xml()), response.headers.get("ETag"))


def _read_alert(response: UpstreamResponse) -> CapAlert:
    return map_alert(response.xml())


class CapAlertsClient:
    """Reads the CAP feed and its documents through the connector runtime."""

    def __init__(self, runtime: ConnectorRuntime) -> None:
        self.runtime = runtime

    async def feed(self, etag: str | None = None, request_id: str | None = None) -> FeedPage:
        """The feed's alert paths; ``paths`` None when it is unchanged since ``etag``."""
        headers = {"If-None-Match": etag} if etag else {}
        request = UpstreamRequest(
            path=FEED_PATH, headers=headers, request_id=request_id, expect="xml"
        )
        fetched = await self.runtime.fetch(request, parse=_read_feed)
        return fetched.value

    async def alert(self, path: str, request_id: str | None = None) -> Fetched[CapAlert]:
        """One CAP document (cached: a published alert never changes; updates are new ones)."""
        request = UpstreamRequest(path=path, request_id=request_id, expect="xml")
        return await self.runtime.fetch(request, parse=_read_alert, cache_key=f"alert:{path}")
