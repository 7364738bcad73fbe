"""Every response body the HTTP layer writes: UTF-8 JSON, Thai text as it is.

An :class:`Answer` is sent as two raw ASGI messages: no header object is built or scanned on
the way out, which the registry's throughput notices on every request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.types import Receive, Scope, Send

__all__ = ["Answer", "dump", "error_response", "html_response", "json_response"]

_CONTENT_TYPES: dict[str, bytes] = {}  # media type -> its Content-Type value, charset stated


def dump(body: Any) -> bytes:
    """JSON bytes in UTF-8 (no \\u escapes), dates in ISO 8601."""
    return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)


@dataclass(slots=True)
class Answer:
    """A whole response: status, body, its Content-Type and any other headers (raw pairs)."""

    status: int
    body: bytes
    content_type: bytes
    headers: tuple[tuple[bytes, bytes], ...] = ()

    async def __call__(self, _scope: Scope, _receive: Receive, send: Send) -> None:
        """Send it (an ASGI app, so a Starlette route may return it)."""
        headers = [
            (b"content-length", b"%d" % len(self.body)),
            (b"content-type", self.content_type),
            *self.headers,
        ]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def json_response(
    content: bytes, media_type: str, status: int = 200, headers: Mapping[str, str] | None = None
) -> Answer:
    """A JSON answer with its charset stated."""
    content_type = _CONTENT_TYPES.get(media_type)
    if content_type is None:
        content_type = _CONTENT_TYPES[media_type] = f"{media_type}; charset=utf-8".encode()
    return Answer(status, content, content_type, _raw(headers))


def html_response(page: str) -> Answer:
    """An HTML page (GraphiQL)."""
    return Answer(200, page.encode(), b"text/html; charset=utf-8")


def error_response(
    status: int,
    code: str,
    message: str,
    media_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """A request-level error in the GraphQL response shape: ``{"errors": [...]}``."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return json_response(dump(body), media_type, status, headers)


def _raw(headers: Mapping[str, str] | None) -> tuple[tuple[bytes, bytes], ...]:
    if not headers:
        return ()
    return tuple((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items())
