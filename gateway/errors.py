"""The one error tree of the gateway, and the codes clients see.

::

    GatewayError                      extensions.code
    ├── BadRequestError
    │   ├── BadUserInput              BAD_USER_INPUT
    │   │   └── BadAreaCode           BAD_AREA_CODE
    │   ├── QueryTooComplex           QUERY_TOO_COMPLEX
    │   └── PersistedQueryNotFound    PERSISTED_QUERY_NOT_FOUND
    ├── Unauthenticated               UNAUTHENTICATED
    ├── Forbidden                     FORBIDDEN
    ├── RateLimited                   RATE_LIMITED
    ├── UpstreamError                 (each names its connector; retryable or not)
    │   ├── UpstreamTimeout           UPSTREAM_TIMEOUT
    │   ├── UpstreamUnavailable       UPSTREAM_UNAVAILABLE
    │   ├── UpstreamBadResponse       UPSTREAM_BAD_RESPONSE
    │   ├── UpstreamBlocked           UPSTREAM_BLOCKED
    │   ├── UpstreamAuthFailed        UPSTREAM_AUTH_FAILED
    │   ├── UpstreamRateLimited       UPSTREAM_RATE_LIMITED
    │   ├── CircuitOpen               CIRCUIT_OPEN
    │   └── DeadlineExceeded          DEADLINE_EXCEEDED (the request's deadline, not the agency's)
    └── InternalError                 INTERNAL (masked; carries the request id)

A request that arrives before the registry is loaded is answered 503 ``NOT_READY``.
GraphQL's own failures keep Apollo's codes: ``GRAPHQL_PARSE_FAILED``,
``GRAPHQL_VALIDATION_FAILED``. Errors from other layers are turned into this tree in one place,
:func:`translate`; the HTTP layer formats them with :func:`format_error`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from graphql import GraphQLError

from central_codes.codes import InvalidAreaCode

__all__ = [
    "CODES",
    "BadAreaCode",
    "BadRequestError",
    "BadUserInput",
    "CircuitOpen",
    "DeadlineExceeded",
    "Forbidden",
    "GatewayError",
    "InternalError",
    "PersistedQueryNotFound",
    "QueryTooComplex",
    "RateLimited",
    "Unauthenticated",
    "UpstreamAuthFailed",
    "UpstreamBadResponse",
    "UpstreamBlocked",
    "UpstreamError",
    "UpstreamRateLimited",
    "UpstreamTimeout",
    "UpstreamUnavailable",
    "format_error",
    "masked",
    "translate",
]


class GatewayError(Exception):
    """Base of every error a client may see; ``code`` is stable and documented."""

    code: ClassVar[str] = "INTERNAL"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions

    def __str__(self) -> str:
        return self.message

    def as_extensions(self) -> dict[str, Any]:
        """The ``extensions`` object of the GraphQL error."""
        return {"code": self.code, **self.extensions}


class BadRequestError(GatewayError):
    """The request itself is wrong; sending it again will not help."""

    code = "BAD_REQUEST"


class BadUserInput(BadRequestError):
    """An argument is out of range or of the wrong form."""

    code = "BAD_USER_INPUT"


class BadAreaCode(BadUserInput):
    """An area code that is not 2, 4 or 6 digits, or (where an area must exist) names none."""

    code = "BAD_AREA_CODE"


class QueryTooComplex(BadRequestError):
    """Too deep, too many aliases or tokens, or too costly."""

    code = "QUERY_TOO_COMPLEX"


class PersistedQueryNotFound(BadRequestError):
    """A persisted-query hash the gateway does not know."""

    code = "PERSISTED_QUERY_NOT_FOUND"


class Unauthenticated(GatewayError):
    """Credentials missing where required, or not valid."""

    code = "UNAUTHENTICATED"


class Forbidden(GatewayError):
    """The caller is known but may not read this."""

    code = "FORBIDDEN"


class RateLimited(GatewayError):
    """The caller's budget is spent; ``retryAfter`` says for how long."""

    code = "RATE_LIMITED"


class UpstreamError(GatewayError):
    """An agency system failed; the error names the connector and whether a retry may help."""

    code = "UPSTREAM_UNAVAILABLE"
    retryable: ClassVar[bool] = True

    def __init__(self, message: str, *, connector: str, **extensions: Any) -> None:
        super().__init__(message, connector=connector, **extensions)
        self.connector = connector

    def as_extensions(self) -> dict[str, Any]:
        """Adds ``retryable`` to the code and connector."""
        return {**super().as_extensions(), "retryable": self.retryable}


class UpstreamTimeout(UpstreamError):
    """The agency did not answer in time."""

    code = "UPSTREAM_TIMEOUT"


class UpstreamUnavailable(UpstreamError):
    """The agency refused the connection or answered 5xx."""

    code = "UPSTREAM_UNAVAILABLE"


class UpstreamBadResponse(UpstreamError):
    """The agency answered something we cannot read."""

    code = "UPSTREAM_BAD_RESPONSE"
    retryable = False


class UpstreamBlocked(UpstreamError):
    """A firewall answered in the agency's place (an HTML page where JSON was expected)."""

    code = "UPSTREAM_BLOCKED"


class UpstreamAuthFailed(UpstreamError):
    """The agency refused our credentials, even after a token refresh."""

    code = "UPSTREAM_AUTH_FAILED"
    retryable = False


class UpstreamRateLimited(UpstreamError):
    """The agency asked us to slow down."""

    code = "UPSTREAM_RATE_LIMITED"


class CircuitOpen(UpstreamError):
    """Recent calls failed; the connector fails fast until its cool-down passes."""

    code = "CIRCUIT_OPEN"


class DeadlineExceeded(UpstreamError):
    """The request's deadline passed while the agency was still being asked."""

    code = "DEADLINE_EXCEEDED"


class InternalError(GatewayError):
    """Something we did not expect; details are logged, never shown."""

    code = "INTERNAL"


CODES: tuple[str, ...] = (
    "BAD_REQUEST",
    "BAD_USER_INPUT",
    "BAD_AREA_CODE",
    "QUERY_TOO_COMPLEX",
    "PERSISTED_QUERY_NOT_FOUND",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "NOT_READY",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "RATE_LIMITED",
    "UPSTREAM_TIMEOUT",
    "UPSTREAM_UNAVAILABLE",
    "UPSTREAM_BAD_RESPONSE",
    "UPSTREAM_BLOCKED",
    "UPSTREAM_AUTH_FAILED",
    "UPSTREAM_RATE_LIMITED",
    "CIRCUIT_OPEN",
    "DEADLINE_EXCEEDED",
    "INTERNAL",
)


def translate(exc: BaseException) -> GatewayError | None:
    """The gateway error for an exception from a lower layer, or None when it is unexpected."""
    if isinstance(exc, GatewayError):
        return exc
    if isinstance(exc, InvalidAreaCode):
        return BadAreaCode(str(exc), argumentValue=exc.code[:20])
    return None


def format_error(error: GraphQLError, request_id: str) -> tuple[dict[str, Any], bool]:
    """The JSON object of one GraphQL error, and whether it was unexpected (to be logged)."""
    body: dict[str, Any] = {"message": error.message}
    if error.locations:
        body["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path is not None:
        body["path"] = error.path
    original = error.original_error
    known = None if original is None else translate(original)
    if known is None and (original is None or _stamped(error)):
        body["extensions"] = {"code": _graphql_code(error), **(error.extensions or {})}
        return body, False
    if known is None:
        body.update(masked(request_id))
        return body, True
    body["message"] = known.message
    body["extensions"] = known.as_extensions()
    return body, False


def masked(request_id: str) -> dict[str, Any]:
    """What an unexpected error shows: its code and the request id to quote, nothing else."""
    return {
        "message": f"Internal error; quote request id {request_id} when reporting it.",
        "extensions": {"code": InternalError.code, "requestId": request_id},
    }


def _stamped(error: GraphQLError) -> bool:
    # a code the executor put on a request error (a variable that did not coerce)
    return bool(error.extensions and "code" in error.extensions)


def _graphql_code(error: GraphQLError) -> str:
    # the executor stamps parse, validation and variable errors with their code
    if error.extensions and "code" in error.extensions:
        return str(error.extensions["code"])
    return InternalError.code
