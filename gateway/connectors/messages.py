"""What a connector sends (:class:`UpstreamRequest`), reads (:class:`UpstreamResponse`) and returns
(:class:`Fetched`: a value with where it came from and how old it is).

:class:`UpstreamResponse` holds the whole body and reads it safely: :meth:`~UpstreamResponse.text`
honours the charset (TIS-620 is read as its superset cp874) and a UTF-8 byte-order mark;
:meth:`~UpstreamResponse.json` and :meth:`~UpstreamResponse.xml` check the content type and raise
:class:`~gateway.errors.UpstreamBadResponse` for anything they cannot read.
"""

from __future__ import annotations

import codecs
import enum
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from multidict import CIMultiDict, CIMultiDictProxy

from gateway.errors import UpstreamBadResponse, UpstreamBlocked, UpstreamError

__all__ = [
    "Expect",
    "Fetched",
    "Freshness",
    "Refused",
    "UpstreamRequest",
    "UpstreamResponse",
    "blocked_error",
    "required_text",
]

T = TypeVar("T")

Expect = Literal["json", "xml", "text"]
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_BOM = codecs.BOM_UTF8
_THAI_CHARSETS = frozenset(
    {"tis-620", "tis620", "tis_620", "iso-8859-11", "windows-874", "x-cp874"}
)
_JSON_TYPES = frozenset(
    {"application/json", "text/json", "text/javascript", "application/javascript"}
)
_XML_TYPES = frozenset({"application/xml", "text/xml", "application/soap+xml"})
_ACCEPT = {"json": "application/json", "xml": "application/xml, text/xml", "text": "*/*"}
_FIREWALL_MARKERS = ("request rejected", "_incapsula", "incapsula incident")


class Freshness(enum.Enum):
    """Where a fetched value came from."""

    FRESH = "fresh"  # from the agency, for this call
    CACHED = "cached"  # from the cache, within its TTL
    STALE = "stale"  # from the cache past its TTL, because the agency failed


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """A value with its provenance; ``error`` is the failure a stale value stands in for."""

    value: T
    freshness: Freshness
    as_of: datetime
    error: UpstreamError | None = None

    @property
    def stale(self) -> bool:
        """True when the agency failed and this is an older value."""
        return self.freshness is Freshness.STALE


def required_text(value: Any, name: str) -> str:
    """A payload's text field, trimmed; ValueError (a mapping failure) when absent or blank."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} is not a text")
    return value.strip()


@dataclass(frozen=True, slots=True)
class Refused:
    """An agency refused a submission itself (a conflict, an unknown target, invalid fields):
    sending it again will not help."""

    status: int
    code: str
    message: str
    fields: tuple[str, ...]

    @classmethod
    def of(cls, status: int, payload: Any) -> Refused:
        """From an ``{"error": {"code", "message", "fields" | "field"}}`` body."""
        error = payload["error"]
        named = error.get("fields") or ([error["field"]] if error.get("field") else [])
        return cls(status, str(error["code"]), str(error["message"]), tuple(map(str, named)))


@dataclass(frozen=True, slots=True)
class UpstreamRequest:
    """One call to an agency; ``path`` is joined to the connector's base URL.

    ``idempotent`` None means "as the method says" (GET, HEAD, OPTIONS); only idempotent
    requests are retried. ``expect`` is what a good answer holds: an HTML page in its place
    is a firewall's. ``handled_statuses`` are 4xx statuses the parse function reads itself
    (404 for "not found", say); other 4xx are errors.
    """

    method: str = "GET"
    path: str = ""
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    data: bytes | str | None = None
    json: Any = None
    request_id: str | None = None
    idempotent: bool | None = None
    expect: Expect = "json"
    handled_statuses: frozenset[int] = frozenset()

    @property
    def retryable(self) -> bool:
        """May this request be sent again after a failure?"""
        if self.idempotent is not None:
            return self.idempotent
        return self.method.upper() in IDEMPOTENT_METHODS

    def url(self, base_url: str) -> str:
        """The full URL: ``path`` joined to ``base_url`` with exactly one slash."""
        base = base_url.rstrip("/")
        return f"{base}/{self.path.lstrip('/')}" if self.path else base

    def outgoing_headers(self) -> dict[str, str]:
        """The headers sent: an ``Accept`` for ``expect``, the caller's, and ``X-Request-Id``."""
        headers = {"Accept": _ACCEPT[self.expect], **self.headers}
        if self.request_id:
            headers["X-Request-Id"] = self.request_id
        return headers


@dataclass(frozen=True, slots=True)
class UpstreamResponse:
    """An agency's answer, read whole, with safe readers for its body."""

    connector: str
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    url: str = ""
    elapsed: float = 0.0  # seconds from sending to the last byte

    @classmethod
    def build(
        cls, connector: str, status: int, body: bytes, headers: Mapping[str, str] | None = None
    ) -> UpstreamResponse:
        """A response made by hand (for mapping tests and fakes)."""
        return cls(connector, status, CIMultiDictProxy(CIMultiDict(headers or {})), body)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ('' when absent)."""
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of the content type, lower case."""
        for part in self.headers.get("Content-Type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip('"').lower() or None
        return None

    def text(self, encoding: str | None = None) -> str:
        """The body as text: BOM first, then ``encoding``, the charset, else UTF-8."""
        if self.body.startswith(_BOM):
            return self._decode(self.body[len(_BOM) :], "utf-8")
        chosen = (encoding or self.charset or "utf-8").lower()
        return self._decode(self.body, "cp874" if chosen in _THAI_CHARSETS else chosen)

    def json(self, *, loose: bool = False) -> Any:
        """The body parsed as JSON; ``loose`` accepts any content type (for mislabelled agencies)."""
        self._require(_JSON_TYPES, "JSON", loose=loose, suffix="+json")
        try:
            return json.loads(self.text())
        except ValueError as exc:
            raise self._bad("answered JSON we cannot parse") from exc

    def xml(self, *, loose: bool = False) -> ElementTree.Element:
        """The body parsed as XML (entity declarations refused)."""
        self._require(_XML_TYPES, "XML", loose=loose, suffix="+xml")
        if b"<!ENTITY" in self.body:
            raise self._bad("answered XML declaring entities")
        try:
            return ElementTree.fromstring(self.body)
        except ElementTree.ParseError as exc:
            raise self._bad("answered XML we cannot parse") from exc

    def looks_like_html(self) -> bool:
        """Is the body an HTML page (by its content type or its first bytes)?"""
        start = self.body[:512].lstrip(_BOM + b" \t\r\n").lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return True
        # some agencies label JSON text/html: the body decides
        return self.content_type in ("text/html", "application/xhtml+xml") and start[:1] == b"<"

    def _require(self, types: frozenset[str], kind: str, *, loose: bool, suffix: str) -> None:
        media = self.content_type
        if loose or not media or media in types or media.endswith(suffix):
            return
        raise self._bad(f"answered {media} where {kind} was expected")

    def _decode(self, body: bytes, encoding: str) -> str:
        try:
            return body.decode(encoding)
        except LookupError as exc:
            raise self._bad(f"answered in an unknown charset {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            raise self._bad(f"answered text that is not valid {encoding}") from exc

    def _bad(self, what: str) -> UpstreamBadResponse:
        return UpstreamBadResponse(f"{self.connector} {what}", connector=self.connector)


def blocked_error(response: UpstreamResponse, expect: Expect) -> UpstreamBlocked | None:
    """The error when a firewall answered in the agency's place, else None.

    An HTML page where JSON or XML was expected is a firewall's (or a portal's) page; any
    HTML page carrying a known firewall marker (``Request Rejected``, ``_Incapsula``) is one.
    """
    if not response.looks_like_html():
        return None
    page = response.body[:65536].decode("utf-8", "replace").lower()
    if expect == "text" and not any(marker in page for marker in _FIREWALL_MARKERS):
        return None
    return UpstreamBlocked(
        f"{response.connector} was blocked by a firewall page (HTTP {response.status})",
        connector=response.connector,
    )
