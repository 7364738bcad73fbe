"""The worker that delivers the outbox: in the background, with retries, backoff and jitter.

Each message is handed to the delivery function registered for its kind. What the function
does decides what happens next:

- returns the agency's answer (a JSON object): ``delivered``;
- raises :class:`DeliveryRejected` (the agency says the message itself is wrong): ``failed``,
  kept with the reason, never sent again;
- raises anything else (the agency down, slow, rate limiting, a bug): tried again after a
  backoff that doubles from ``backoff_seconds`` up to ``backoff_max_seconds``, with jitter
  (half the delay fixed, half random), never sooner than the agency's ``retryAfter``.

Delivery is at least once; the agency's idempotency key makes it exactly once. A process killed
while delivering leaves a lease that expires after ``lease_seconds``; then the message is sent
again under the same key.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.errors import GatewayError
from gateway.outbox.queue import (
    OutboxDepth,
    OutboxMessage,
    claim_due,
    depth,
    mark_delivered,
    mark_failed,
    mark_retry,
)

__all__ = ["Delivery", "DeliveryRejected", "DeliveryReport", "OutboxPolicy", "OutboxWorker"]

log = logging.getLogger("gateway.outbox")

Delivery = Callable[[OutboxMessage], Awaitable[Mapping[str, Any]]]


class DeliveryRejected(Exception):
    """The agency refused the message itself (not a passing failure): do not send it again."""


@dataclass(frozen=True)
class OutboxPolicy:
    """How often to look for due messages, how to back off, how long a lease and a flush last."""

    poll_seconds: float = 1.0
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 300.0
    lease_seconds: float = 60.0
    flush_seconds: float = 5.0
    batch: int = 50

    def delay(self, attempts: int, jitter: float, retry_after: float | None) -> float:
        """Seconds before the next try after ``attempts`` failed ones."""
        ceiling = min(self.backoff_max_seconds, self.backoff_seconds * 2.0 ** (attempts - 1))
        delay = ceiling / 2 + jitter * ceiling / 2
        return max(delay, retry_after or 0.0)


@dataclass
class DeliveryReport:
    """What one pass did, by message id."""

    delivered: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Messages handled in the pass."""
        return len(self.delivered) + len(self.retried) + len(self.failed)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class OutboxWorker:
    """Delivers due messages of the kinds registered with :meth:`register`."""

    def __init__(
        self,
        engine: AsyncEngine,
        policy: OutboxPolicy | None = None,
        *,
        clock: Callable[[], dt.datetime] = _now,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.engine = engine
        self.policy = policy or OutboxPolicy()
        self._clock, self._jitter = clock, jitter
        self._deliveries: dict[str, Delivery] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    def register(self, kind: str, delivery: Delivery) -> None:
        """Send messages of ``kind`` with ``delivery``; one function per kind."""
        if kind in self._deliveries:
            raise ValueError(f"outbox kind {kind!r} already has a delivery function")
        self._deliveries[kind] = delivery

    def start(self) -> None:
        """Deliver in the background from now on (due messages first, then as they come)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run())

    def notify(self) -> None:
        """A message was committed: look now instead of at the next poll."""
        self._wake.set()

    async def stop(self) -> DeliveryReport:
        """Stop the background loop, then deliver what is due for at most ``flush_seconds``."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        report = DeliveryReport()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.policy.flush_seconds):
                while (done := await self.deliver_due()).count:
                    _merge(report, done)
                    if not done.delivered:
                        break  # everything left is failing: its retries wait for a restart
        return report

    async def depth(self) -> list[OutboxDepth]:
        """Undelivered messages per kind."""
        return await depth(self.engine)

    async def deliver_due(self) -> DeliveryReport:
        """One pass: claim due messages and deliver them concurrently."""
        async with self._lock:
            now = self._clock()
            claimed = await claim_due(
                self.engine, now, self.policy.lease_seconds, self.policy.batch
            )
            report = DeliveryReport()
            await asyncio.gather(*(self._deliver(m, report) for m in claimed))
            return report

    async def _deliver(self, message: OutboxMessage, report: DeliveryReport) -> None:
        delivery = self._deliveries.get(message.kind)
        try:
            if delivery is None:
                raise LookupError(f"no delivery function for outbox kind {message.kind!r}")
            answer = await delivery(message)
        except DeliveryRejected as rejected:
            log.error("outbox %s %s rejected: %s", message.kind, message.id, rejected)
            await mark_failed(self.engine, message.id, str(rejected), self._clock())
            report.failed.append(message.id)
        except Exception as error:  # any other failure is passing: try again later
            await self._retry_later(message, error)
            report.retried.append(message.id)
        else:
            await mark_delivered(self.engine, message.id, answer, self._clock())
            report.delivered.append(message.id)

    async def _retry_later(self, message: OutboxMessage, error: Exception) -> None:
        hinted = error.extensions.get("retryAfter") if isinstance(error, GatewayError) else None
        delay = self.policy.delay(message.attempts, self._jitter(), hinted)
        code = error.code if isinstance(error, GatewayError) else type(error).__name__
        log.warning(
            "outbox %s %s attempt %d failed (%s); next in %.1fs",
            *(message.kind, message.id, message.attempts, code, delay),
        )
        reason = f"{code}: {error}"[:1000]
        when = self._clock() + dt.timedelta(seconds=delay)
        await mark_retry(self.engine, message.id, reason, when)

    async def _run(self) -> None:
        while True:
            try:
                report = await self.deliver_due()
            except Exception:  # the database away for a moment must not end delivery
                log.exception("could not deliver the outbox")
                report = DeliveryReport()
            if report.count >= self.policy.batch:
                continue  # more may be due right now
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.policy.poll_seconds)


def _merge(into: DeliveryReport, done: DeliveryReport) -> None:
    into.delivered += done.delivered
    into.retried += done.retried
    into.failed += done.failed
