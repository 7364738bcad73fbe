"""A circuit breaker: fail fast while an agency keeps failing, probe it once it may be back.

::

    CLOSED --(breaker_failures consecutive failures)--> OPEN
    OPEN --(cool-down passed; next call is the one probe)--> HALF_OPEN
    HALF_OPEN --(probe succeeds)--> CLOSED
    HALF_OPEN --(probe fails)--> OPEN (a new cool-down)

While HALF_OPEN, only the probe goes through; every other call is refused until it ends.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

__all__ = ["CircuitBreaker", "CircuitState"]


class CircuitState(enum.Enum):
    """Where the breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Counts consecutive failures of one connector; ``clock`` is monotonic seconds."""

    def __init__(
        self,
        *,
        failures: int,
        cooldown_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failures < 1:
            raise ValueError(f"failures must be at least 1, not {failures}")
        self._threshold = failures
        self._cooldown = cooldown_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> CircuitState:
        """CLOSED, OPEN while cooling down, HALF_OPEN once a probe may go (or is going)."""
        if self._opened_at is None:
            return CircuitState.CLOSED
        if self._probing or self._cooled_down():
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN

    @property
    def retry_after_seconds(self) -> float:
        """Seconds until the next probe may go (0 when calls go through now)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self._cooldown - self._clock())

    def allow(self) -> bool:
        """May a call go to the agency now? True at most once per cool-down while open.

        A caller that was allowed must end with :meth:`succeeded`, :meth:`failed` or
        :meth:`released`.
        """
        if self._opened_at is None:
            return True
        if self._probing or not self._cooled_down():
            return False
        self._probing = True
        return True

    def succeeded(self) -> None:
        """The agency answered: close the circuit and forget past failures."""
        self._failures = 0
        self._opened_at = None
        self._probing = False

    def failed(self) -> None:
        """The agency failed: count it; open on the threshold, or re-open after a probe."""
        self._failures += 1
        if self._probing or self._failures >= self._threshold:
            self._opened_at = self._clock()
        self._probing = False

    def released(self) -> None:
        """The call ended without a verdict (cancelled): let another probe go."""
        self._probing = False

    def _cooled_down(self) -> bool:
        return self._opened_at is not None and self._clock() >= self._opened_at + self._cooldown
