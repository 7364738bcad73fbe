"""DLA official documents: the Department of Local Administration's feed of its letters.

Contract:

- [known] an XML list of ``DOCUMENT{DOCUMENT_TOPIC, ORG, DOCUMENT_NO, DOCUMENT_DATE,
  UPLOAD_FILE1}``; document numbers like ``มท 0816.3/ว 1234``; no signature API, so
  "verify" means: this number and date exist in the register (:func:`find`).
- [assumed] the path ``GET /rss/documents.xml``, the ``<DOCUMENTS>`` root, UTF-8, newest first,
  and the date format: ``DD/MM/YYYY`` in the Buddhist era (``05/12/2568`` = 5 December 2025).
  The feed takes **no query parameters** (none is known on the real one): a client fetches the
  whole feed, scans it and caches it. The sandbox sends an ``ETag`` and answers
  ``If-None-Match`` with 304, so that cache can revalidate cheaply.

The sandbox feed holds :data:`DOCUMENT_COUNT` documents dated over fiscal year 2568 BE
(October 2024 to September 2025), each unit numbering its circulars from 1 in order of date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from aiohttp import web

from sandbox.data import SandboxData
from sandbox.memo import per_snapshot
from sandbox.server import Agency

__all__ = [
    "AGENCY",
    "DOCUMENT_COUNT",
    "Document",
    "be_date",
    "documents",
    "feed_xml",
    "find",
    "parse_be_date",
]

DOCUMENT_COUNT = 360
FEED_PATH = "/rss/documents.xml"
_FIRST_DAY = dt.date(2024, 10, 1)
_DAYS = 365
# (unit, its code in document numbers)
_UNITS = (
    ("กองการเจ้าหน้าที่", "0809.2"),
    ("กองคลัง", "0808.2"),
    ("กองกฎหมายและระเบียบท้องถิ่น", "0804.5"),
    ("กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น", "0810.3"),
    ("กองสาธารณสุขท้องถิ่น", "0819.2"),
    ("กองส่งเสริมและพัฒนาการจัดการศึกษาท้องถิ่น", "0816.3"),
    ("กองเสริมสร้างสวัสดิการสังคมท้องถิ่น", "0820.3"),
    ("กองการเงินและบัญชี", "0803.3"),
)
_ACTIONS = ("ซักซ้อมแนวทางการ", "แจ้งหลักเกณฑ์การ", "ขอความร่วมมือในการ", "แจ้งการ")
_SUBJECTS = (
    "จัดสรรงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2568 เงินอุดหนุนทั่วไป",
    "เบิกจ่ายเงินอุดหนุนสำหรับสนับสนุนเบี้ยยังชีพผู้สูงอายุ",
    "เบิกจ่ายเงินอุดหนุนสำหรับสนับสนุนเบี้ยความพิการ",
    "ดำเนินงานตามโครงการอาหารกลางวันและอาหารเสริม (นม)",
    "จัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง",
    "ป้องกันและควบคุมโรคไข้เลือดออก",
    "เตรียมความพร้อมป้องกันและบรรเทาสาธารณภัยในช่วงฤดูฝน",
    "สรรหาและเลือกสรรพนักงานส่วนท้องถิ่น",
    "ประเมินประสิทธิภาพขององค์กรปกครองส่วนท้องถิ่น (LPA)",
    "บริหารจัดการขยะมูลฝอยชุมชน",
    "ลดการใช้สำเนาเอกสารที่ทางราชการออกให้",
    "รายงานผลการดำเนินงานผ่านระบบสารสนเทศของกรมส่งเสริมการปกครองท้องถิ่น",
)


@dataclass(frozen=True, slots=True)
class Document:
    """One official document of the register."""

    topic: str
    org: str
    number: str
    date: dt.date
    file_path: str  # relative; the feed prefixes the host


def be_date(date: dt.date) -> str:
    """``DD/MM/YYYY`` in the Buddhist era: ``be_date(date(2025, 12, 5))`` is ``05/12/2568``."""
    return f"{date.day:02d}/{date.month:02d}/{date.year + 543}"


def parse_be_date(text: str) -> dt.date:
    """The date of a ``DD/MM/YYYY`` Buddhist-era text; ValueError when it is not one."""
    day, month, year = (int(part) for part in text.strip().split("/"))
    return dt.date(year - 543, month, day)


@per_snapshot
def documents(data: SandboxData) -> tuple[Document, ...]:
    """The register, newest first (ties by number)."""
    rng = data.rng("dla_documents", "register")
    drafts = sorted(
        (_FIRST_DAY + dt.timedelta(days=rng.randrange(_DAYS)), rng.randrange(len(_UNITS)), n)
        for n in range(DOCUMENT_COUNT)
    )
    counters = [0] * len(_UNITS)
    found = []
    for date, unit, n in drafts:
        counters[unit] += 1
        org, code = _UNITS[unit]
        topic = rng.choice(_ACTIONS) + rng.choice(_SUBJECTS)
        number = f"มท {code}/ว {counters[unit] * 7 + rng.randrange(7)}"
        path = f"/upload/document/type2/{date:%Y/%m}/{9000 + n}_1.pdf"
        found.append(Document(topic, org, number, date, path))
    return tuple(sorted(found, key=lambda d: (d.date, d.number), reverse=True))


def find(data: SandboxData, number: str, date: dt.date) -> Document | None:
    """The document with this number and date, or None (what "verify" means for DLA)."""
    wanted = " ".join(number.split())
    return next((d for d in documents(data) if d.number == wanted and d.date == date), None)


def feed_xml(data: SandboxData, origin: str) -> str:
    """The whole feed as XML."""
    items = "".join(
        "<DOCUMENT>"
        f"<DOCUMENT_TOPIC>{escape(d.topic)}</DOCUMENT_TOPIC>"
        f"<ORG>{escape(d.org)}</ORG>"
        f"<DOCUMENT_NO>{escape(d.number)}</DOCUMENT_NO>"
        f"<DOCUMENT_DATE>{be_date(d.date)}</DOCUMENT_DATE>"
        f"<UPLOAD_FILE1>{escape(origin + d.file_path)}</UPLOAD_FILE1>"
        "</DOCUMENT>\n"
        for d in documents(data)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<DOCUMENTS>\n{items}</DOCUMENTS>\n'


def routes(data: SandboxData) -> Sequence[web.RouteDef]:
    """The feed route."""

    async def feed(request: web.Request) -> web.Response:
        body = feed_xml(data, str(request.url.origin()))
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:20] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            text=body, content_type="text/xml", charset="utf-8", headers={"ETag": etag}
        )

    return [web.get(FEED_PATH, feed)]


AGENCY = Agency("dla_documents", "DLA official documents feed", routes)
