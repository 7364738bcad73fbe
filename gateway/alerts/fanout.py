"""Alert events from the poller to the subscribers of every instance, each event once.

::

    poller --publish--> AlertEvents --deliver--> AlertSubscription (one per subscriber, one area)

:class:`InProcessAlertEvents` delivers to this process's subscribers. :class:`RedisAlertEvents`
(when ``GATEWAY_REDIS_URL`` is set) lets every instance poll the same feed: the first instance
to publish an event claims its id in Redis (``SET NX``) and publishes it on one channel; every
instance, itself included, hears it there and delivers it to its own subscribers. An event
published while an instance's link to Redis is down does not reach that instance's subscribers.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import datetime as dt
import logging

from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from gateway.alerts.events import AlertEvent, decode, encode
from gateway.shared_state import SharedRedis

__all__ = [
    "AlertEvents",
    "AlertSubscription",
    "InProcessAlertEvents",
    "RedisAlertEvents",
    "alert_events",
]

log = logging.getLogger("gateway.alerts")
CLAIM_AFTER_EXPIRY = dt.timedelta(days=1)  # how long an event's id is kept once its alert ends
CLAIM_WITHOUT_EXPIRY = dt.timedelta(days=30)
_RECONNECT_SECONDS = 1.0


class AlertSubscription:
    """The events for one area from the moment it is made until :meth:`aclose`."""

    def __init__(self, events: AlertEvents, code: str) -> None:
        self.code = code
        self._events = events
        self._queue: asyncio.Queue[AlertEvent | None] = asyncio.Queue()

    def __aiter__(self) -> AlertSubscription:
        return self

    async def __anext__(self) -> AlertEvent:
        event = await self._queue.get()
        if event is None:
            raise StopAsyncIteration
        return event

    def offer(self, event: AlertEvent) -> None:
        """Queue ``event`` when it concerns this subscription's area."""
        if event.concerns(self.code):
            self._queue.put_nowait(event)

    async def aclose(self) -> None:
        """Stop receiving events; a reader waiting for one is told the stream ended."""
        self._events.unsubscribe(self)
        self._queue.put_nowait(None)


class AlertEvents(abc.ABC):
    """Publishes events and delivers them to this process's subscriptions."""

    def __init__(self) -> None:
        self._subscriptions: set[AlertSubscription] = set()

    def subscribe(self, code: str) -> AlertSubscription:
        """A subscription to the events for ``code`` and the areas above it, starting now."""
        subscription = AlertSubscription(self, code)
        self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: AlertSubscription) -> None:
        """Stop delivering to ``subscription``."""
        self._subscriptions.discard(subscription)

    @property
    def subscribers(self) -> int:
        """How many subscriptions this process holds."""
        return len(self._subscriptions)

    def deliver(self, event: AlertEvent) -> None:
        """Hand ``event`` to every subscription of this process."""
        for subscription in list(self._subscriptions):
            subscription.offer(event)

    @abc.abstractmethod
    async def publish(self, event: AlertEvent) -> bool:
        """Send ``event`` to subscribers; False when it was sent before (by any instance)."""

    @abc.abstractmethod
    async def open(self) -> None:
        """Start hearing the events that other instances publish."""

    async def close(self) -> None:
        """Stop hearing events, and end every subscription."""
        for subscription in list(self._subscriptions):
            await subscription.aclose()


class InProcessAlertEvents(AlertEvents):
    """Events within one process; each event id is published once."""

    def __init__(self) -> None:
        super().__init__()
        self._published: set[str] = set()

    async def open(self) -> None:
        """Nothing to open: no other instance publishes here."""

    async def publish(self, event: AlertEvent) -> bool:
        """Deliver ``event`` unless this process published it before."""
        if event.id in self._published:
            return False
        self._published.add(event.id)
        self.deliver(event)
        return True


class RedisAlertEvents(AlertEvents):
    """Events shared by every instance on one Redis; see the module's docstring."""

    def __init__(self, redis: SharedRedis) -> None:
        super().__init__()
        self._redis = redis
        self.channel = redis.key("alerts", "events")
        self._pubsub: PubSub | None = None
        self._listener: asyncio.Task[None] | None = None

    async def publish(self, event: AlertEvent) -> bool:
        """Claim the event's id, then publish it to every instance; False when claimed before."""
        client = self._redis.client
        try:
            claim = self._redis.key("alerts", "event", event.id)
            if not await client.set(claim, b"1", nx=True, px=_claim_ms(event)):
                return False
            await client.publish(self.channel, encode(event))
        except RedisError as error:
            log.error("could not publish alert event %s: %s", event.id, error)
            return False
        return True

    async def open(self) -> None:
        """Subscribe to the channel before returning, then listen in the background."""
        self._pubsub = self._redis.client.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(self.channel)
        self._listener = asyncio.create_task(self._listen(self._pubsub))

    async def close(self) -> None:
        """Stop listening and end every subscription."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._pubsub is not None:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]
        await super().close()

    async def _listen(self, pubsub: PubSub) -> None:
        while True:
            try:
                message = await pubsub.get_message(timeout=None)
            except (RedisError, OSError) as error:  # the client reconnects and resubscribes
                log.warning("alert events: lost Redis (%s); listening again", error)
                await asyncio.sleep(_RECONNECT_SECONDS)
                continue
            if message is not None and message.get("type") == "message":
                self._heard(message["data"])

    def _heard(self, data: bytes) -> None:
        try:
            event = decode(data)
        except (ValueError, KeyError, TypeError):
            log.error("alert events: a message on %s is not an event", self.channel)
            return
        self.deliver(event)


def _claim_ms(event: AlertEvent) -> int:
    expires = event.stored.expires
    if expires is None:
        keep = CLAIM_WITHOUT_EXPIRY
    else:
        keep = max(expires - dt.datetime.now(dt.UTC), dt.timedelta(0)) + CLAIM_AFTER_EXPIRY
    return int(keep.total_seconds() * 1000)


def alert_events(redis: SharedRedis | None) -> AlertEvents:
    """Events through Redis when it is configured, else within this process."""
    return InProcessAlertEvents() if redis is None else RedisAlertEvents(redis)
