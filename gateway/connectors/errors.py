"""The one place where the layer below (aiohttp, asyncio) is translated into the gateway's errors.

::

    TimeoutError, aiohttp.ServerTimeoutError            -> UpstreamTimeout
    aiohttp.ClientConnectionError (refused, reset,
      ServerDisconnectedError), ClientPayloadError       -> UpstreamUnavailable
    HTTP 5xx                                              -> UpstreamUnavailable (+ retryAfter)
    HTTP 429                                              -> UpstreamRateLimited (+ retryAfter)
    HTTP 401, 403                                         -> UpstreamAuthFailed
    any other HTTP 4xx the request did not expect         -> UpstreamBadResponse
    an HTML page where data was expected                  -> UpstreamBlocked
    unreadable body, wrong content type, mapping failure  -> UpstreamBadResponse

No aiohttp exception leaves ``gateway.connectors``.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp

from gateway.errors import (
    UpstreamAuthFailed,
    UpstreamBadResponse,
    UpstreamError,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnavailable,
)

__all__ = ["MAPPING_ERRORS", "error_for_status", "parse_retry_after", "upstream_errors"]

# what a mapping function raises when the agency's payload is not the shape it expects
MAPPING_ERRORS: tuple[type[Exception], ...] = (LookupError, ValueError, TypeError, AttributeError)


@contextmanager
def upstream_errors(connector: str) -> Iterator[None]:
    """Raise the gateway's error for any aiohttp or asyncio failure inside the block."""
    try:
        yield
    except UpstreamError:
        raise
    except TimeoutError as exc:  # asyncio's, and aiohttp's ServerTimeoutError family
        raise UpstreamTimeout(f"{connector} did not answer in time", connector=connector) from exc
    except aiohttp.ClientResponseError as exc:
        found = error_for_status(connector, exc.status) or UpstreamBadResponse(
            f"{connector} answered something we cannot read", connector=connector
        )
        raise found from exc
    except aiohttp.InvalidURL as exc:
        raise UpstreamUnavailable(f"{connector} has an invalid URL", connector=connector) from exc
    except aiohttp.ClientError as exc:
        raise UpstreamUnavailable(
            f"{connector} could not be reached ({type(exc).__name__})", connector=connector
        ) from exc


def error_for_status(
    connector: str, status: int, retry_after: float | None = None
) -> UpstreamError | None:
    """The error an HTTP status stands for, or None for 1xx-3xx."""
    extra = {} if retry_after is None else {"retryAfter": math.ceil(retry_after)}
    if status in (401, 403):
        return UpstreamAuthFailed(
            f"{connector} refused our credentials (HTTP {status})", connector=connector
        )
    if status == 429:
        return UpstreamRateLimited(
            f"{connector} asked us to slow down (HTTP 429)", connector=connector, **extra
        )
    if status >= 500:
        return UpstreamUnavailable(
            f"{connector} is unavailable (HTTP {status})", connector=connector, **extra
        )
    if status >= 400:
        return UpstreamBadResponse(
            f"{connector} rejected the request (HTTP {status})", connector=connector
        )
    return None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), None if unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None  # HTTP dates are GMT; a date without a zone is not one
    return max(0.0, when.timestamp() - now)
