"""DOPA ID-card status (CheckCardStatus, an ASP.NET .asmx web service) as the sandbox serves it.

Contract:

- [known] ``POST /CheckCardStatus/CheckCardService.asmx`` (IIS ignores case, so the lower-case
  path answers too), SOAP 1.2 (``application/soap+xml``), namespace ``http://tempuri.org/``,
  operation ``CheckCardByLaser(PID, FirstName, LastName, BirthDay, Laser)``, ``BirthDay`` =
  ``YYYYMMDD`` in the Buddhist era; the answer
  ``CheckCardByLaserResponse/CheckCardByLaserResult{IsError, ErrorMessage, Code, Desc}``:
  ``Code`` 0 ``สถานะปกติ``; 4 ``สถานะไม่ปกติ => ไม่พบเลข Laser จาก PID นี้`` (no card with this
  laser number for this PID) or ``สถานะไม่ปกติ => ข้อมูลไม่ตรง`` (the other data do not match);
  5 ``ข้อมูลที่ใช้ในการตรวจสอบไม่ครบ`` (a field is blank); ``IsError`` is true unless Code is 0.
- [known, ASP.NET behaviour] a malformed envelope, a SOAP 1.1 envelope or an unknown operation
  is a SOAP 1.2 Fault with HTTP 500 (``soap:Sender``, or ``soap:VersionMismatch``).
- [assumed] which cards are on file. The sandbox holds no people, so a rule decides:
  a PID is on file when it is 13 digits with a valid check digit (:func:`check_digit`), does not
  start with 0, and ``data.rng("dopa_idcard", pid).random() >= 0.1`` (:func:`has_card`: about
  nine in ten valid PIDs). Its card carries :func:`laser_for` (two letters and ten digits,
  ``JT1234567890``; dashes and spaces are ignored when checking) and :func:`birthday_for`
  (a Buddhist-era birth date). Names are not on file: any non-blank name is accepted.

Personal data is never logged: the request log records the path only, and no handler writes
any field of the body anywhere.
"""

from __future__ import annotations

import datetime as dt
import string
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from aiohttp import web

from sandbox.agencies._thai_time import be_date
from sandbox.data import SandboxData
from sandbox.server import Agency

__all__ = [
    "AGENCY",
    "FIELDS",
    "PATH",
    "CardResult",
    "birthday_for",
    "check_card",
    "check_digit",
    "has_card",
    "laser_for",
]

PATH = "/CheckCardStatus/CheckCardService.asmx"
TEMPURI = "http://tempuri.org/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
FIELDS = ("PID", "FirstName", "LastName", "BirthDay", "Laser")
NORMAL = "สถานะปกติ"
NO_LASER = "สถานะไม่ปกติ => ไม่พบเลข Laser จาก PID นี้"
MISMATCH = "สถานะไม่ปกติ => ข้อมูลไม่ตรง"
INCOMPLETE = "ข้อมูลที่ใช้ในการตรวจสอบไม่ครบ"


@dataclass(frozen=True, slots=True)
class CardResult:
    """What CheckCardByLaser answers."""

    code: int
    desc: str
    error_message: str = ""

    @property
    def is_error(self) -> bool:
        """True unless the card is normal (Code 0)."""
        return self.code != 0


def check_digit(first12: str) -> str:
    """The 13th digit of a Thai citizen ID: 11 minus the weighted sum mod 11, last digit."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return str((11 - total % 11) % 10)


def has_card(data: SandboxData, pid: str) -> bool:
    """Whether the sandbox has a card on file for this PID (the rule in the module docstring)."""
    if len(pid) != 13 or not (pid.isascii() and pid.isdigit()) or pid[0] == "0":
        return False
    return check_digit(pid[:12]) == pid[12] and data.rng("dopa_idcard", pid).random() >= 0.1


def laser_for(data: SandboxData, pid: str) -> str:
    """The laser code on the back of this PID's card: two letters, ten digits."""
    rng = data.rng("dopa_idcard", pid, "laser")
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(2))
    return letters + "".join(rng.choice(string.digits) for _ in range(10))


def birthday_for(data: SandboxData, pid: str) -> str:
    """The Buddhist-era birth date (``YYYYMMDD``) on this PID's card."""
    days = data.rng("dopa_idcard", pid, "born").randint(0, 67 * 365)
    return be_date(dt.date(1940, 1, 1) + dt.timedelta(days=days))


def check_card(data: SandboxData, fields: dict[str, str]) -> CardResult:
    """The answer to one CheckCardByLaser call (``fields`` by their SOAP element names)."""
    values = {name: fields.get(name, "").strip() for name in FIELDS}
    if not all(values.values()):
        return CardResult(5, INCOMPLETE)
    pid = values["PID"]
    laser = values["Laser"].replace("-", "").replace(" ", "").upper()
    if not has_card(data, pid) or laser != laser_for(data, pid):
        return CardResult(4, NO_LASER)
    if values["BirthDay"] != birthday_for(data, pid):
        return CardResult(4, MISMATCH)
    return CardResult(0, NORMAL)


class SoapFault(Exception):
    """A request answered with a SOAP 1.2 Fault."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _operation(body: bytes) -> dict[str, str]:
    if b"<!DOCTYPE" in body.upper():
        raise SoapFault("Sender", "DTD is prohibited in this XML document.")
    try:
        envelope = ET.fromstring(body)
    except ET.ParseError as error:
        raise SoapFault("Sender", f"Server was unable to read request. {error}") from None
    if envelope.tag == f"{{{SOAP11}}}Envelope":
        raise SoapFault("VersionMismatch", "Possible SOAP version mismatch.")
    payload = envelope.find(f"{{{SOAP12}}}Body/*")
    if envelope.tag != f"{{{SOAP12}}}Envelope" or payload is None:
        raise SoapFault("Sender", "Server was unable to read request: no SOAP 1.2 Body.")
    if payload.tag != f"{{{TEMPURI}}}CheckCardByLaser":
        raise SoapFault("Sender", "Server did not recognize the operation.")
    return {name: payload.findtext(f"{{{TEMPURI}}}{name}") or "" for name in FIELDS}


_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>'
    f'<soap:Envelope xmlns:soap="{SOAP12}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
)
_TAIL = "</soap:Body></soap:Envelope>"


def result_xml(result: CardResult) -> str:
    """The SOAP 1.2 envelope carrying one result."""
    message = escape(result.error_message)
    return (
        f'{_HEAD}<CheckCardByLaserResponse xmlns="{TEMPURI}"><CheckCardByLaserResult>'
        f"<IsError>{str(result.is_error).lower()}</IsError>"
        f"<ErrorMessage>{message}</ErrorMessage><Code>{result.code}</Code>"
        f"<Desc>{escape(result.desc)}</Desc>"
        f"</CheckCardByLaserResult></CheckCardByLaserResponse>{_TAIL}"
    )


def fault_xml(fault: SoapFault) -> str:
    """A SOAP 1.2 Fault envelope."""
    return (
        f"{_HEAD}<soap:Fault><soap:Code><soap:Value>soap:{fault.code}</soap:Value></soap:Code>"
        f'<soap:Reason><soap:Text xml:lang="en">{escape(fault.reason)}</soap:Text></soap:Reason>'
        f"<soap:Detail /></soap:Fault>{_TAIL}"
    )


def _soap(text: str, status: int = 200) -> web.Response:
    return web.Response(
        text=text, status=status, content_type="application/soap+xml", charset="utf-8"
    )


def _routes(data: SandboxData) -> Sequence[web.RouteDef]:
    async def check(request: web.Request) -> web.Response:
        try:
            fields = _operation(await request.read())
        except SoapFault as fault:
            return _soap(fault_xml(fault), status=500)
        return _soap(result_xml(check_card(data, fields)))

    return [web.post(PATH, check), web.post(PATH.lower(), check)]


AGENCY = Agency("dopa_idcard", "DOPA ID-card status (SOAP)", _routes)
