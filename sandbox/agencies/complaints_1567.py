"""MOI 1567 / Damrongdhama complaint centres: complaint intake that must not lose or repeat.

Contract: [assumed] as a whole (no public API exists; this is our proposal):

- ``POST /complaints`` with ``{category, subject, detail, areaCode, contact{name, phone | email},
  clientReference}`` → 201 ``{trackingNumber, status, receivedAt}``. Idempotent on
  ``clientReference``: the same reference again answers 201 with the same complaint (header
  ``Idempotent-Replayed: true``) and stores nothing; the same reference with another body, 409.
  422 ``{"error": {"code": "VALIDATION_FAILED", "message", "fields": [...]}}`` names every
  missing or invalid field; ``areaCode`` must be an active registry code.
- ``GET /complaints/{trackingNumber}`` → the complaint without the contact (personal data),
  with ``status`` and ``history[{status, statusText, at, note}]``; 404 when unknown.
- Tracking numbers ``1567-<Buddhist-era year>-<6-digit sequence>`` ("1567-2568-000123"), the
  sequence counting from 1 in each year, in order of receipt.
- Admin (tests): ``GET /__admin/complaints_1567/complaints`` lists every stored complaint with
  its contact and clientReference; ``POST /__admin/complaints_1567/complaints/{trackingNumber}/status``
  ``{status, note}`` moves one along (RECEIVED → FORWARDED → IN_PROGRESS → CLOSED).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from central_codes.records import Status
from sandbox.data import SandboxData
from sandbox.open_data import COMPLAINT_CATEGORIES
from sandbox.server import Agency

__all__ = ["AGENCY", "STATUSES", "Complaint", "ComplaintStore", "tracking_number", "validate"]

Json = dict[str, Any]
STATUSES = {
    "RECEIVED": "รับเรื่องแล้ว",
    "FORWARDED": "ส่งต่อหน่วยงานที่เกี่ยวข้อง",
    "IN_PROGRESS": "อยู่ระหว่างดำเนินการ",
    "CLOSED": "ยุติเรื่อง",
}
_TEXT_FIELDS = ("category", "subject", "detail", "areaCode", "clientReference")
_LIMITS = {"subject": 200, "detail": 5000, "clientReference": 100}


def tracking_number(received: dt.datetime, sequence: int) -> str:
    """``1567-<BE year>-<sequence>``: ``tracking_number(2025-…, 123)`` is ``1567-2568-000123``."""
    return f"1567-{received.year + 543}-{sequence:06d}"


@dataclass
class Complaint:
    """One stored complaint and its history."""

    tracking_number: str
    request: Json
    received_at: str
    history: list[Json] = field(default_factory=list)

    def public(self) -> Json:
        """The complaint as ``GET /complaints/{trackingNumber}`` answers it (no contact)."""
        keys = ("category", "subject", "detail", "areaCode")
        return {
            "trackingNumber": self.tracking_number,
            **{k: self.request[k] for k in keys},
            "status": self.history[-1]["status"],
            "receivedAt": self.received_at,
            "history": list(self.history),
        }


def _contact_ok(contact: Any) -> bool:
    if not isinstance(contact, dict) or not isinstance(contact.get("name"), str):
        return False
    reachable = [contact.get(k) for k in ("phone", "email")]
    return bool(contact["name"].strip()) and any(
        isinstance(v, str) and v.strip() for v in reachable
    )


def validate(body: Any, data: SandboxData) -> list[str]:
    """The names of the missing or invalid fields of a complaint (empty when it is valid)."""
    if not isinstance(body, dict):
        return [*_TEXT_FIELDS, "contact"]
    bad = [
        f
        for f in _TEXT_FIELDS
        if not isinstance(body.get(f), str)
        or not body[f].strip()
        or len(body[f]) > _LIMITS.get(f, 100)
    ]
    if "category" not in bad and body["category"] not in COMPLAINT_CATEGORIES:
        bad.append("category")
    if "areaCode" not in bad:
        area = data.snapshot.areas.get(body["areaCode"])
        if area is None or area.status is not Status.ACTIVE:
            bad.append("areaCode")
    return bad + ([] if _contact_ok(body.get("contact")) else ["contact"])


class ComplaintStore:
    """Complaints in memory, one per client reference, numbered per Buddhist-era year."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock
        self.by_number: dict[str, Complaint] = {}
        self.by_reference: dict[str, Complaint] = {}
        self.sequences: dict[int, int] = {}

    def receive(self, body: Json, centre: str) -> tuple[Complaint, bool]:
        """Store a valid complaint; ``(complaint, False)`` when its reference was stored."""
        known = self.by_reference.get(body["clientReference"])
        if known is not None:
            if known.request != body:
                raise _error(409, "CONFLICT", "clientReference was used for another complaint")
            return known, False
        now = self.clock()
        self.sequences[now.year] = self.sequences.get(now.year, 0) + 1
        at = now.isoformat(timespec="seconds")
        complaint = Complaint(tracking_number(now, self.sequences[now.year]), dict(body), at)
        complaint.history.append(_event("RECEIVED", at, f"รับเรื่องโดย{centre}"))
        self.by_number[complaint.tracking_number] = complaint
        self.by_reference[body["clientReference"]] = complaint
        return complaint, True


def _event(status: str, at: str, note: str) -> Json:
    return {"status": status, "statusText": STATUSES[status], "at": at, "note": note}


def _error(
    status: int, code: str, message: str, fields: list[str] | None = None
) -> web.HTTPException:
    body: Json = {"code": code, "message": message} | ({"fields": fields} if fields else {})
    kind = {404: web.HTTPNotFound, 409: web.HTTPConflict, 422: web.HTTPUnprocessableEntity}[status]
    return kind(
        text=json.dumps({"error": body}, ensure_ascii=False), content_type="application/json"
    )


def _centre(data: SandboxData, area_code: str) -> str:
    province = data.snapshot.areas[area_code[:2]].name_th
    return "ศูนย์ดำรงธรรมกรุงเทพมหานคร" if area_code[:2] == "10" else f"ศูนย์ดำรงธรรมจังหวัด{province}"


async def _json_body(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise _error(422, "VALIDATION_FAILED", "the body is not JSON") from None


def routes(data: SandboxData) -> Sequence[web.RouteDef]:
    """The complaint routes; each application gets its own store."""
    store = ComplaintStore(lambda: dt.datetime.now(dt.timezone(dt.timedelta(hours=7))))

    def find(request: web.Request) -> Complaint:
        found = store.by_number.get(request.match_info["trackingNumber"])
        if found is None:
            raise _error(404, "NOT_FOUND", "no complaint with this tracking number")
        return found

    async def submit(request: web.Request) -> web.Response:
        body = await _json_body(request)
        bad = validate(body, data)
        if bad:
            raise _error(422, "VALIDATION_FAILED", "missing or invalid fields", bad)
        complaint, created = store.receive(body, _centre(data, body["areaCode"]))
        answer = {k: complaint.public()[k] for k in ("trackingNumber", "status", "receivedAt")}
        headers = {} if created else {"Idempotent-Replayed": "true"}
        return web.json_response(answer, status=201, headers=headers, dumps=_dumps)

    async def show(request: web.Request) -> web.Response:
        return web.json_response(find(request).public(), dumps=_dumps)

    async def listing(request: web.Request) -> web.Response:
        stored = [
            c.public() | {k: c.request[k] for k in ("contact", "clientReference")}
            for c in store.by_number.values()
        ]
        return web.json_response({"count": len(stored), "complaints": stored}, dumps=_dumps)

    async def advance(request: web.Request) -> web.Response:
        complaint, body = find(request), await _json_body(request)
        if not isinstance(body, dict) or body.get("status") not in STATUSES:
            raise _error(
                422, "VALIDATION_FAILED", "status must be one of " + ", ".join(STATUSES), ["status"]
            )
        at = store.clock().isoformat(timespec="seconds")
        complaint.history.append(_event(body["status"], at, str(body.get("note", ""))))
        return web.json_response(complaint.public(), dumps=_dumps)

    admin = "/__admin/complaints_1567/complaints"
    return [
        web.post("/complaints", submit),
        web.get("/complaints/{trackingNumber}", show),
        web.get(admin, listing),
        web.post(f"{admin}/{{trackingNumber}}/status", advance),
    ]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


AGENCY = Agency("complaints_1567", "MOI 1567 / Damrongdhama complaint centres", routes)
