"""Every response body the HTTP layer writes: UTF-8 JSON, Thai text as it is."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

__all__ = ["dump", "error_response", "json_response"]


def dump(body: Any) -> bytes:
    """JSON bytes in UTF-8 (no \\u escapes), dates in ISO 8601."""
    return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)


def json_response(
    content: bytes, media_type: str, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A JSON answer with its charset stated."""
    return Response(content, status, headers, media_type=f"{media_type}; charset=utf-8")


def error_response(
    status: int,
    code: str,
    message: str,
    media_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Response:
    """A request-level error in the GraphQL response shape: ``{"errors": [...]}``."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return json_response(dump(body), media_type, status, headers)
