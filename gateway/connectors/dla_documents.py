"""DLA official documents: does this document number and date exist in DLA's register?

- [known] the register is an XML list of ``DOCUMENT{DOCUMENT_TOPIC, ORG, DOCUMENT_NO,
  DOCUMENT_DATE, UPLOAD_FILE1}``; there is no signature API, so "verify" means that this
  number and date are in the register.
- [assumed] the feed is ``GET /rss/documents.xml`` under a ``<DOCUMENTS>`` root, dates are
  ``DD/MM/YYYY`` in the Buddhist era, and the feed takes no query parameters: the client reads
  it whole, indexes it and caches the index (the connector's cache TTL), so a thousand checks
  within the TTL make one upstream call.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse

__all__ = [
    "CONNECTOR",
    "FEED_PATH",
    "DlaDocumentsClient",
    "OfficialDocument",
    "map_feed",
    "normalise_number",
    "parse_be_date",
]

CONNECTOR = "dla_documents"
FEED_PATH = "/rss/documents.xml"
BE_OFFSET = 543
DocumentIndex = Mapping[tuple[str, dt.date], "OfficialDocument"]


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    """One document of DLA's register."""

    number: str
    date: dt.date
    topic: str
    issuing_office: str
    file_url: str | None


def normalise_number(number: str) -> str:
    """A document number with runs of white space made one space (``มท  0816.3/ว 12``)."""
    return " ".join(number.split())


def parse_be_date(text: str) -> dt.date:
    """The date of a Buddhist-era ``DD/MM/YYYY`` (``05/12/2568`` is 5 December 2025)."""
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError("DOCUMENT_DATE is not DD/MM/YYYY")
    day, month, year = (int(p) for p in parts)
    if year < 2400:
        raise ValueError("DOCUMENT_DATE is not a Buddhist-era year")
    return dt.date(year - BE_OFFSET, month, day)


def map_document(element: ElementTree.Element) -> OfficialDocument:
    """One ``DOCUMENT`` element; a missing number or date is a ValueError."""
    number = normalise_number(element.findtext("DOCUMENT_NO") or "")
    if not number:
        raise ValueError("DOCUMENT_NO is empty")
    link = (element.findtext("UPLOAD_FILE1") or "").strip()
    return OfficialDocument(
        number=number,
        date=parse_be_date(element.findtext("DOCUMENT_DATE") or ""),
        topic=(element.findtext("DOCUMENT_TOPIC") or "").strip(),
        issuing_office=(element.findtext("ORG") or "").strip(),
        file_url=link if link.startswith(("http://", "https://")) else None,
    )


def map_feed(root: ElementTree.Element) -> dict[tuple[str, dt.date], OfficialDocument]:
    """The register indexed by (number, date); the first of two identical keys wins."""
    if root.tag != "DOCUMENTS":
        raise ValueError("the feed's root is not DOCUMENTS")
    index: dict[tuple[str, dt.date], OfficialDocument] = {}
    for element in root.iter("DOCUMENT"):
        document = map_document(element)
        index.setdefault((document.number, document.date), document)
    return index


class DlaDocumentsClient:
    """Look documents up in the register; one instance per request, no I/O at birth."""

    def __init__(self, runtime: ConnectorRuntime, request_id: str | None = None) -> None:
        self._runtime = runtime
        self._request_id = request_id

    async def find(self, number: str, date: dt.date) -> Fetched[OfficialDocument | None]:
        """The document with this number and date, or None when the register has none."""
        register = await self.register()
        found = register.value.get((normalise_number(number), date))
        return Fetched(found, register.freshness, register.as_of, register.error)

    async def register(self) -> Fetched[DocumentIndex]:
        """The whole register, indexed (cached for the connector's TTL)."""
        request = UpstreamRequest(path=FEED_PATH, request_id=self._request_id, expect="xml")
        return await self._runtime.fetch(request, parse=_parse, cache_key="feed")


def _parse(response: UpstreamResponse) -> DocumentIndex:
    return map_feed(response.xml())
