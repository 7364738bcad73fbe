"""Disaster alerts (DDPM and TMD) as a CAP 1.2 feed, as the sandbox serves it.

Contract:

- [known standard] each alert is a CAP 1.2 document (``urn:oasis:names:tc:emergency:cap:1.2``)
  with ``identifier``, ``sender``, ``sent``, ``status``, ``msgType``, ``scope``, ``references``
  (``sender,identifier,sent`` triples, space-separated) and ``info`` blocks in Thai and English
  (``category``, ``event``, ``urgency``, ``severity``, ``certainty``, ``effective``, ``onset``,
  ``expires``, ``senderName``, ``headline``, ``description``, ``instruction``, ``area`` with
  ``areaDesc`` and ``geocode``); areas by ISO code (``ISO3166-2``/``TH-84``), by DOPA code
  (``DOPA``/``8405`` or ``840503``), or, like TMD's feed, by ``areaDesc`` name only.
- [assumed] the feed: ``GET /cap/feed.xml``, an Atom 1.0 index, newest first, one entry per
  alert linking (``rel="alternate"``, ``type="application/cap+xml"``) to
  ``GET /cap/alerts/{identifier}.xml``; an unknown identifier is 404. The feed carries an
  ``ETag`` and answers 304 to a matching ``If-None-Match``, so pollers are cheap.

The feed starts with :func:`sandbox.agencies._cap_model.initial_alerts` timed around the
app's anchor (its start, down to the hour, Bangkok time). Admin (not agency) routes, so that
tests can drive subscriptions: ``GET /__admin/cap/alerts`` (the anchor and every alert) and
``POST /__admin/cap/alerts`` with a small JSON (:meth:`AlertFeed.publish`): a new alert, or
an Update or Cancel of earlier ones; the feed grows by one entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from aiohttp import web

from sandbox.agencies._cap_model import (
    SENDERS,
    Alert,
    Area,
    Text,
    alert_xml,
    area_for_code,
    initial_alerts,
)
from sandbox.agencies._thai_time import BANGKOK, bangkok_now
from sandbox.data import SandboxData
from sandbox.server import Agency

__all__ = ["AGENCY", "ALERT_PATH", "FEED_PATH", "AlertFeed", "BadAlert", "anchor_for"]

FEED_PATH = "/cap/feed.xml"
ALERT_PATH = "/cap/alerts/{identifier}.xml"
ATOM_NS = "http://www.w3.org/2005/Atom"


class BadAlert(ValueError):
    """An admin request to publish that cannot be honoured (HTTP 400)."""


def anchor_for(now: dt.datetime) -> dt.datetime:
    """The start of the hour of ``now``, in Bangkok time."""
    return now.astimezone(BANGKOK).replace(minute=0, second=0, microsecond=0)


class AlertFeed:
    """The alerts one app serves: the initial ones, then whatever tests publish."""

    def __init__(self, data: SandboxData, anchor: dt.datetime) -> None:
        self.data = data
        self.anchor = anchor
        self.alerts = initial_alerts(data, anchor)

    def find(self, identifier: str) -> Alert | None:
        """The alert with this identifier."""
        return next((a for a in self.alerts if a.identifier == identifier), None)

    def publish(self, request: dict[str, Any], now: dt.datetime) -> Alert:
        """Add an alert from an admin request; raises :class:`BadAlert`.

        Fields (all optional but an area for a new alert): ``msgType`` (Alert, Update, Cancel),
        ``references`` (identifiers; required for Update and Cancel, whose other fields default
        to the last one referenced), ``sender`` (``ddpm`` or ``tmd``), ``status``,
        ``category``, ``event`` and ``eventEn``, ``urgency``, ``severity``, ``certainty``,
        ``headline``, ``headlineEn``, ``areaCodes`` (registry codes), ``areaNames`` (names
        only), ``expiresInHours`` (default 24).
        """
        msg_type = request.get("msgType", "Alert")
        references = tuple(self._referenced(request.get("references", [])))
        if msg_type not in {"Alert", "Update", "Cancel"} or (msg_type != "Alert") != bool(
            references
        ):
            raise BadAlert("msgType Alert takes no references; Update and Cancel need them")
        base = references[-1] if references else self._blank(request)
        sent = max(now.astimezone(BANGKOK).replace(microsecond=0), self._after_last())
        alert = replace(
            base,
            identifier=self._next_identifier(request.get("sender", "ddpm")),
            sent=sent,
            msg_type=msg_type,
            references=references,
            expires=sent + dt.timedelta(hours=float(request.get("expiresInHours", 24))),
            **self._overrides(request),
        )
        self.alerts.append(alert)
        return alert

    def _referenced(self, identifiers: list[str]) -> list[Alert]:
        found = [self.find(i) for i in identifiers]
        missing = [i for i, a in zip(identifiers, found, strict=True) if a is None]
        if missing:
            raise BadAlert(f"unknown alerts: {', '.join(missing)}")
        return [a for a in found if a is not None]

    def _blank(self, request: dict[str, Any]) -> Alert:
        areas = self._areas(request)
        if not areas or "event" not in request:
            raise BadAlert("a new alert needs an event and areaCodes or areaNames")
        event = Text(request["event"], request.get("eventEn", request["event"]))
        names = Text(" ".join(a.desc.th for a in areas), ", ".join(a.desc.en for a in areas))
        empty = Text("", "")
        return Alert(
            "", SENDERS["ddpm"], self.anchor, "Actual", "Alert", "Met", event, "Expected",
            "Moderate", "Likely", self.anchor, self.anchor,
            Text(f"เตือนภัย{event.th} {names.th}", f"{event.en} warning: {names.en}"),
            empty, empty, areas,
        )  # fmt: skip

    def _areas(self, request: dict[str, Any]) -> tuple[Area, ...]:
        codes = request.get("areaCodes", [])
        unknown = [c for c in codes if c not in self.data.snapshot.areas]
        if unknown:
            raise BadAlert(f"unknown area codes: {', '.join(unknown)}")
        named = tuple(Area(Text(n, n)) for n in request.get("areaNames", []))
        return tuple(area_for_code(self.data, c) for c in codes) + named

    def _overrides(self, request: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if request.get("sender") in SENDERS:
            found["sender"] = SENDERS[request["sender"]]
        for key in ("status", "category", "urgency", "severity", "certainty"):
            if key in request:
                found[key] = request[key]
        if "headline" in request:
            found["headline"] = Text(
                request["headline"], request.get("headlineEn", request["headline"])
            )
        if request.get("areaCodes") or request.get("areaNames"):
            found["areas"] = self._areas(request)
        return found

    def _after_last(self) -> dt.datetime:
        return max(a.sent for a in self.alerts) + dt.timedelta(seconds=1)

    def _next_identifier(self, sender: str) -> str:
        prefix = "TMD" if sender == "tmd" else "DDPM"
        return f"TH-{prefix}-{self.anchor:%Y%m%d%H}-{len(self.alerts) + 1:03d}"

    def atom(self, base_url: str) -> str:
        """The Atom index of every alert, newest first."""
        ET.register_namespace("", ATOM_NS)
        feed = ET.Element(f"{{{ATOM_NS}}}feed")
        newest = sorted(self.alerts, key=lambda a: a.sent, reverse=True)
        _atom(feed, "id", f"{base_url}{FEED_PATH}")
        _atom(feed, "title", "CAP alerts: DDPM and TMD (sandbox)")
        _atom(feed, "updated", newest[0].sent.isoformat())
        ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=f"{base_url}{FEED_PATH}")
        for alert in newest:
            _entry(feed, alert, base_url)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(feed, encoding="unicode")


def _atom(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    child.text = text
    return child


def _entry(feed: ET.Element, alert: Alert, base_url: str) -> None:
    url = base_url + ALERT_PATH.format(identifier=alert.identifier)
    entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
    _atom(entry, "id", url)
    _atom(entry, "title", alert.headline.th)
    _atom(entry, "updated", alert.sent.isoformat())
    _atom(_atom(entry, "author", ""), "name", alert.sender[1])
    _atom(entry, "summary", f"{alert.status} {alert.msg_type}: {alert.event.en}")
    link = {"rel": "alternate", "type": "application/cap+xml", "href": url}
    ET.SubElement(entry, f"{{{ATOM_NS}}}link", link)


def _xml(text: str, content_type: str) -> web.Response:
    return web.Response(text=text, content_type=content_type, charset="utf-8")


def _routes(data: SandboxData) -> Sequence[web.RouteDef]:
    feed = AlertFeed(data, anchor_for(bangkok_now()))

    async def index(request: web.Request) -> web.Response:
        body = feed.atom(str(request.url.origin()))
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:20] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        response = _xml(body, "application/atom+xml")
        response.headers["ETag"] = etag
        return response

    async def one(request: web.Request) -> web.Response:
        alert = feed.find(request.match_info["identifier"])
        if alert is None:
            return web.Response(status=404, text="no such alert")
        return _xml(alert_xml(alert), "application/cap+xml")

    async def listing(request: web.Request) -> web.Response:
        return web.json_response(
            {"anchor": feed.anchor.isoformat(), "alerts": [_summary(a) for a in feed.alerts]}
        )

    async def publish(request: web.Request) -> web.Response:
        try:
            alert = feed.publish(await request.json(), bangkok_now())
        except (AttributeError, TypeError, ValueError) as error:  # BadAlert is a ValueError
            return web.Response(status=400, text=str(error))
        return web.json_response(_summary(alert), status=201)

    return [
        web.get(FEED_PATH, index),
        web.get(ALERT_PATH, one),
        web.get("/__admin/cap/alerts", listing),
        web.post("/__admin/cap/alerts", publish),
    ]


def _summary(alert: Alert) -> dict[str, str]:
    return {
        "identifier": alert.identifier,
        "sender": alert.sender[0],
        "sent": alert.sent.isoformat(),
        "status": alert.status,
        "msgType": alert.msg_type,
        "path": ALERT_PATH.format(identifier=alert.identifier),
    }


AGENCY = Agency("cap_alerts", "Disaster alerts (CAP 1.2: DDPM and TMD)", _routes)
