"""DOPA ID-card status: CheckCardByLaser, a SOAP 1.2 web service.

- [known] ``POST /CheckCardStatus/CheckCardService.asmx``, SOAP 1.2
  (``application/soap+xml``), namespace ``http://tempuri.org/``, operation
  ``CheckCardByLaser(PID, FirstName, LastName, BirthDay, Laser)`` with ``BirthDay`` as
  ``YYYYMMDD`` in the Buddhist era; the result ``{IsError, ErrorMessage, Code, Desc}``: ``Code``
  0 normal, 4 not normal (no such laser number for the PID, or the data do not match), 5 input
  incomplete.
- [known, ASP.NET] a bad request is a SOAP 1.2 Fault with HTTP 500: ``soap:Sender`` (our
  envelope is wrong: UPSTREAM_BAD_RESPONSE, not retried) or ``soap:Receiver`` (the service
  failed: UPSTREAM_UNAVAILABLE).

Personal data (PID, names, birth date, laser code) is never logged, cached or put into an error
message: the request body is built here and handed to the runtime, which logs neither bodies
nor URLs with them, and answers are not cached.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from xml.sax.saxutils import escape

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse
from gateway.errors import UpstreamBadResponse, UpstreamUnavailable

__all__ = [
    "CONNECTOR",
    "PATH",
    "CardCheck",
    "CardStatus",
    "CheckCardRequest",
    "DopaIdCardClient",
    "be_birth_date",
    "map_result",
    "pid_is_valid",
    "request_envelope",
]

CONNECTOR = "dopa_idcard"
PATH = "/CheckCardStatus/CheckCardService.asmx"
TEMPURI = "http://tempuri.org/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
BE_OFFSET = 543
_PID = re.compile(r"[0-9]{13}")
_GREGORIAN = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


class CardStatus(enum.Enum):
    """What DOPA says of a card, from its ``Code``."""

    NORMAL = 0  # the card is valid and the data match
    NOT_NORMAL = 4  # no card with this laser code for the PID, or the data do not match
    INCOMPLETE = 5  # a field was blank


@dataclass(frozen=True, slots=True)
class CardCheck:
    """DOPA's answer, without any of the personal data asked about."""

    status: CardStatus
    code: int
    description: str


@dataclass(frozen=True, slots=True)
class CheckCardRequest:
    """The five fields of one check; ``repr`` shows none of them."""

    pid: str
    first_name: str
    last_name: str
    birth_date: str  # Buddhist-era YYYYMMDD
    laser: str

    def __repr__(self) -> str:
        return "CheckCardRequest(<personal data hidden>)"

    __str__ = __repr__


def pid_is_valid(pid: str) -> bool:
    """Is this a 13-digit Thai PID with a correct check digit (mod 11 of weights 13..2)?"""
    if not _PID.fullmatch(pid):
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(pid[:12]))
    return (11 - total % 11) % 10 == int(pid[12])


def be_birth_date(gregorian: str) -> str:
    """``YYYY-MM-DD`` (Gregorian) as DOPA's ``YYYYMMDD`` in the Buddhist era.

    A birth date known only to the year or month is written with ``00`` (``1980-00-00``,
    ``1980-05-00``), as DOPA's register has them. Anything else is a ValueError.
    """
    match = _GREGORIAN.fullmatch(gregorian.strip())
    if match is None:
        raise ValueError("a birth date is YYYY-MM-DD")
    year, month, day = (int(part) for part in match.groups())
    if month == 0 and day != 0:
        raise ValueError("a birth date with an unknown month has an unknown day")
    if month and day:
        dt.date(year, month, day)  # raises ValueError on 2023-02-30
    elif month > 12:
        raise ValueError("month must be in 1..12")
    if not 1800 <= year <= 2200:
        raise ValueError("year out of range")
    return f"{year + BE_OFFSET:04d}{month:02d}{day:02d}"


def request_envelope(request: CheckCardRequest) -> str:
    """The SOAP 1.2 envelope of one CheckCardByLaser call."""
    values = {
        "PID": request.pid,
        "FirstName": request.first_name,
        "LastName": request.last_name,
        "BirthDay": request.birth_date,
        "Laser": request.laser,
    }
    fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in values.items())
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap12:Envelope xmlns:soap12="{SOAP12}"><soap12:Body>'
        f'<CheckCardByLaser xmlns="{TEMPURI}">{fields}</CheckCardByLaser>'
        "</soap12:Body></soap12:Envelope>"
    )


def map_result(root: ElementTree.Element) -> CardCheck:
    """The result inside a SOAP 1.2 envelope; a code other than 0, 4 or 5 is a ValueError."""
    result = root.find(
        f"{{{SOAP12}}}Body/{{{TEMPURI}}}CheckCardByLaserResponse/{{{TEMPURI}}}CheckCardByLaserResult"
    )
    if result is None:
        raise LookupError("no CheckCardByLaserResult in the answer")
    code = int((result.findtext(f"{{{TEMPURI}}}Code") or "").strip())
    return CardCheck(
        status=CardStatus(code),
        code=code,
        description=(result.findtext(f"{{{TEMPURI}}}Desc") or "").strip(),
    )


def fault_error(root: ElementTree.Element) -> UpstreamBadResponse | UpstreamUnavailable | None:
    """The error a SOAP 1.2 Fault stands for, or None when the envelope holds no fault."""
    fault = root.find(f"{{{SOAP12}}}Body/{{{SOAP12}}}Fault")
    if fault is None:
        return None
    value = (fault.findtext(f"{{{SOAP12}}}Code/{{{SOAP12}}}Value") or "").rpartition(":")[2]
    if value == "Receiver":
        return UpstreamUnavailable(f"{CONNECTOR} failed (SOAP Receiver fault)", connector=CONNECTOR)
    # Sender, VersionMismatch, MustUnderstand...: our request is at fault; sending it again
    # will not help. The fault's reason is not repeated: it may quote what we sent.
    return UpstreamBadResponse(
        f"{CONNECTOR} refused the request (SOAP {value or 'unknown'} fault)", connector=CONNECTOR
    )


def _parse(response: UpstreamResponse) -> CardCheck:
    if response.status >= 500 and not response.body.lstrip().startswith(b"<"):
        raise UpstreamUnavailable(
            f"{CONNECTOR} is unavailable (HTTP {response.status})", connector=CONNECTOR
        )
    root = response.xml()
    error = fault_error(root)
    if error is not None:
        raise error
    if response.status != 200:
        raise UpstreamUnavailable(
            f"{CONNECTOR} is unavailable (HTTP {response.status})", connector=CONNECTOR
        )
    return map_result(root)


class DopaIdCardClient:
    """CheckCardByLaser; one instance per request, no I/O at birth."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def check(self, request: CheckCardRequest) -> Fetched[CardCheck]:
        """DOPA's status of one card (never cached: the answer is about a person)."""
        upstream = UpstreamRequest(
            method="POST",
            path=PATH,
            headers={
                "Content-Type": 'application/soap+xml; charset=utf-8; action="CheckCardByLaser"'
            },
            data=request_envelope(request).encode("utf-8"),
            request_id=self._request_id,
            idempotent=True,  # a check changes nothing at the agency
            expect="xml",
            handled_statuses=frozenset({500}),
        )
        return await self._runtime.fetch(upstream, parse=_parse)
