"""When to send a request again, and after how long.

Only idempotent requests are retried, only after a timeout, an unavailable agency or a rate
limit, and at most ``retries`` times. A ``Retry-After`` the agency sent is waited for exactly,
unless it is longer than ``retry_after_max_seconds`` (then the caller gets the error and its
``retryAfter`` at once). Otherwise the wait is "full jitter": uniform between 0 and a ceiling
that doubles from ``backoff_seconds`` each attempt, capped at ``retry_after_max_seconds``.
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.connectors.config import ConnectorSettings
from gateway.connectors.messages import UpstreamRequest
from gateway.errors import UpstreamError, UpstreamRateLimited, UpstreamTimeout, UpstreamUnavailable

__all__ = ["RETRIED", "retry_delay"]

RETRIED: tuple[type[UpstreamError], ...] = (
    UpstreamTimeout,
    UpstreamUnavailable,
    UpstreamRateLimited,
)


def retry_delay(
    settings: ConnectorSettings,
    request: UpstreamRequest,
    error: UpstreamError,
    attempt: int,
    jitter: Callable[[], float],
) -> float | None:
    """Seconds to wait before attempt ``attempt + 1`` (0-based), or None when not to retry."""
    if not request.retryable or attempt >= settings.retries or not isinstance(error, RETRIED):
        return None
    hinted: float | None = error.extensions.get("retryAfter")
    if hinted is not None:
        return float(hinted) if hinted <= settings.retry_after_max_seconds else None
    ceiling = min(settings.retry_after_max_seconds, settings.backoff_seconds * 2.0**attempt)
    return jitter() * ceiling
