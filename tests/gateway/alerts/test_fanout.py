"""The alert fan-out, in-process and on Redis (the same tests), and Redis across instances."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from central_codes.snapshot import Snapshot
from gateway.alerts.areas import AreaMapper
from gateway.alerts.events import AlertEvent, event_for
from gateway.alerts.fanout import AlertEvents, AlertSubscription, RedisAlertEvents, alert_events
from gateway.alerts.store import AlertStore
from gateway.shared_state import SharedRedis
from tests.conftest import REDIS_URL
from tests.gateway.alerts.documents import START, cap_xml, stored

DISTRICT = "<geocode><valueName>DOPA</valueName><value>8405</value></geocode>"
WAIT = 30.0  # seconds before a missing event fails the test instead of hanging it


@pytest.fixture(scope="module")
def mapper(snapshot: Snapshot) -> AreaMapper:
    """A mapper over the geothai registry."""
    return AreaMapper(snapshot)


@pytest.fixture(params=["in-process", "redis"])
def redis(request: pytest.FixtureRequest) -> SharedRedis | None:
    """No Redis, then Redis: every test using it runs against both kinds of fan-out."""
    if request.param == "in-process":
        return None
    shared: SharedRedis = request.getfixturevalue("shared_redis")
    return shared


@pytest.fixture
async def events(redis: SharedRedis | None) -> AsyncIterator[AlertEvents]:
    """An open fan-out of each kind."""
    fanout = alert_events(redis)
    await fanout.open()
    yield fanout
    await fanout.close()


def _event(mapper: AreaMapper, identifier: str, **fields: object) -> AlertEvent:
    event = event_for(stored(mapper, cap_xml(identifier, **fields)), AlertStore(), START)  # type: ignore[arg-type]
    assert event is not None
    return event


async def _next(subscription: AlertSubscription) -> str:
    event = await asyncio.wait_for(subscription.__anext__(), WAIT)
    return event.stored.alert.identifier


async def _heard_by(subscription: AlertSubscription, last: str) -> list[str]:
    heard = [await _next(subscription)]
    while heard[-1] != last:
        heard.append(await _next(subscription))
    return heard


async def test_each_event_is_published_once_to_the_areas_it_concerns(
    events: AlertEvents, mapper: AreaMapper
) -> None:
    inside, beside = events.subscribe("840503"), events.subscribe("50")
    district, province = _event(mapper, "D", area=DISTRICT), _event(mapper, "P", hour=1)
    assert await events.publish(district)
    assert not await events.publish(district)
    assert await events.publish(province)
    assert await _heard_by(inside, "P") == ["D", "P"]
    last = _event(
        mapper, "L", hour=2, area="<geocode><valueName>DOPA</valueName><value>50</value></geocode>"
    )
    assert await events.publish(last)
    assert await _heard_by(beside, "L") == ["L"]


async def test_a_closed_subscription_ends_and_hears_no_more(
    events: AlertEvents, mapper: AreaMapper
) -> None:
    subscription = events.subscribe("84")
    assert events.subscribers == 1
    await subscription.aclose()
    assert events.subscribers == 0
    await events.publish(_event(mapper, "A"))
    with pytest.raises(StopAsyncIteration):
        await subscription.__anext__()


async def test_closing_the_fan_out_ends_every_subscription(events: AlertEvents) -> None:
    subscription = events.subscribe("84")
    await events.close()
    assert events.subscribers == 0
    assert [e async for e in subscription] == []


async def test_instances_on_one_redis_hear_every_event_once(
    shared_redis: SharedRedis, mapper: AreaMapper
) -> None:
    first, second = RedisAlertEvents(shared_redis), RedisAlertEvents(shared_redis)
    await first.open()
    await second.open()
    try:
        here, there = first.subscribe("84"), second.subscribe("84")
        alert, update = (
            _event(mapper, "A"),
            _event(mapper, "B", hour=1, msg_type="Update", references=("A",)),
        )
        assert await first.publish(alert)
        assert not await second.publish(alert)  # the second instance read it too
        assert await second.publish(update)
        assert not await first.publish(update)
        assert await _heard_by(here, "B") == ["A", "B"]
        assert await _heard_by(there, "B") == ["A", "B"]
    finally:
        await first.close()
        await second.close()


async def test_a_message_that_is_not_an_event_is_skipped(
    shared_redis: SharedRedis, mapper: AreaMapper
) -> None:
    events = RedisAlertEvents(shared_redis)
    await events.open()
    try:
        subscription = events.subscribe("84")
        await shared_redis.client.publish(events.channel, b"not an event")
        assert await events.publish(_event(mapper, "A"))
        assert await _heard_by(subscription, "A") == ["A"]
    finally:
        await events.close()


async def test_a_listener_that_loses_redis_subscribes_again_and_hears_what_follows(
    shared_redis: SharedRedis, mapper: AreaMapper
) -> None:
    name = f"moi-test-{uuid.uuid4().hex[:12]}"  # to find this listener's connection
    assert REDIS_URL is not None
    own = SharedRedis(Redis.from_url(REDIS_URL, client_name=name), shared_redis.prefix)
    events = RedisAlertEvents(own)
    await events.open()
    try:
        subscription = events.subscribe("84")
        listeners = await shared_redis.client.client_list(_type="pubsub")
        [listener] = [c for c in listeners if c["name"] == name]
        assert await shared_redis.client.client_kill_filter(_id=listener["id"]) == 1
        for _ in range(600):  # until the listener has subscribed again
            [(_, subscribed)] = await shared_redis.client.pubsub_numsub(events.channel)
            if subscribed:
                break
            await asyncio.sleep(0.05)
        assert await events.publish(_event(mapper, "A"))
        assert await _heard_by(subscription, "A") == ["A"]
    finally:
        await events.close()
        await own.close()
