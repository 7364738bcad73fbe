"""``Subscription.disasterAlerts`` end to end: the sandbox's CAP feed, the poller, the fan-out
(in-process and Redis, the same tests) and a real WebSocket client; then two instances on one
PostgreSQL database and one Redis.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.alerts import AlertPoller
from gateway.app import create_app
from gateway.connectors.catalogue import CONNECTOR_NAMES
from gateway.connectors.config import connector_settings
from gateway.settings import Settings
from gateway.shared_state import SharedRedis, open_redis
from tests.conftest import REDIS_URL
from tests.gateway.http.live import GraphQLSocket, connected, served

SENDER = "cap@disaster.go.th"
ALERTS = """
subscription ($code: ID!) {
  disasterAlerts(areaCode: $code) {
    change
    alert { id identifier msgType status replaces severity event eventEn: event(lang: EN)
            stale areas { codes } }
  }
}
"""


@pytest.fixture(params=["in-process", "redis"])
async def fanout(request: pytest.FixtureRequest) -> AsyncIterator[dict[str, Any]]:
    """The settings of one kind of fan-out; Redis keys made under its prefix are removed after."""
    if request.param == "in-process":
        yield {}
        return
    if not REDIS_URL:
        pytest.skip("Redis: set MOI_TEST_REDIS_URL to run this test on it")
    prefix = f"moi-test-{uuid.uuid4().hex[:12]}:"
    yield {"redis_url": REDIS_URL, "redis_prefix": prefix}
    redis = open_redis(REDIS_URL, prefix)
    assert redis is not None
    await _forget(redis)


@dataclasses.dataclass
class Live:
    """A served gateway whose poller has read the feed once, and its sandbox's CAP URL."""

    url: str
    poller: AlertPoller
    cap: str


@pytest.fixture
async def live(
    settings_factory: Callable[..., Settings], fanout: dict[str, Any]
) -> AsyncIterator[Live]:
    """A gateway on each kind of fan-out; the feed's initial alerts are read before tests run."""
    app = create_app(settings_factory(alerts_poll_seconds=3600.0, **fanout))
    async with served(app) as url:
        await _poller(app).read_once()
        yield Live(url, _poller(app), _cap_url(app))


async def _forget(redis: SharedRedis) -> None:
    keys = [key async for key in redis.client.scan_iter(match=f"{redis.prefix}*")]
    if keys:
        await redis.client.delete(*keys)
    await redis.close()


def _poller(app: Starlette) -> AlertPoller:
    poller: AlertPoller = app.state.resources.alerts
    return poller


async def _publish(cap_url: str, **alert: Any) -> str:
    async with httpx.AsyncClient() as sandbox:
        answer = await sandbox.post(f"{cap_url}/__admin/cap/alerts", json=alert)
    assert answer.status_code == 201, answer.text
    identifier: str = answer.json()["identifier"]
    return identifier


def _cap_url(app: Starlette) -> str:
    url: str = app.state.resources.agencies.sandbox.urls["cap_alerts"]
    return url


async def _subscribed(client: GraphQLSocket, code: str) -> None:
    await client.init()
    await client.subscribe("alerts", ALERTS, {"code": code})
    assert await client.taken() == []


async def _next(client: GraphQLSocket) -> dict[str, Any]:
    message = await client.receive()
    assert (message["id"], message["type"]) == ("alerts", "next"), message
    assert "errors" not in message["payload"], message
    event: dict[str, Any] = message["payload"]["data"]["disasterAlerts"]
    return event


async def test_a_subdistrict_hears_of_a_province_alert_its_update_and_its_cancel_in_order(
    live: Live,
) -> None:
    poller, cap = live.poller, live.cap
    async with connected(live.url) as client:
        await _subscribed(client, "840503")
        drill = await _publish(cap, event="สึนามิ", areaCodes=["84"], status="Exercise")
        elsewhere = await _publish(cap, event="พายุ", areaCodes=["50"])
        flood = await _publish(cap, event="อุทกภัย", eventEn="Flood", areaCodes=["84"])
        report = await poller.poll_now()
        assert report.published == [elsewhere, flood]  # the drill is stored, never published
        assert drill in report.added
        update = await _publish(cap, msgType="Update", references=[flood], severity="Extreme")
        assert (await poller.poll_now()).published == [update]
        cancel = await _publish(cap, msgType="Cancel", references=[update])
        assert (await poller.poll_now()).published == [cancel]
        heard = [await _next(client) for _ in range(3)]
    assert [(e["change"], e["alert"]["identifier"]) for e in heard] == [
        ("NEW", flood),
        ("UPDATED", update),
        ("CANCELLED", cancel),
    ]
    new, updated, cancelled = (e["alert"] for e in heard)
    assert (new["id"], new["status"], new["msgType"]) == (f"{SENDER},{flood}", "Actual", "Alert")
    assert (new["event"], new["eventEn"], new["stale"]) == ("อุทกภัย", "Flood", False)
    assert new["areas"] == [{"codes": ["84"]}]
    assert (updated["severity"], updated["replaces"]) == ("Extreme", [f"{SENDER},{flood}"])
    assert (cancelled["msgType"], cancelled["replaces"]) == ("Cancel", [f"{SENDER},{update}"])


async def test_a_district_alert_reaches_the_areas_below_it_only(live: Live) -> None:
    async with (
        connected(live.url) as province,
        connected(live.url) as inside,
        connected(live.url) as beside,
    ):
        await _subscribed(province, "50")
        await _subscribed(inside, "500101")
        await _subscribed(beside, "500201")
        storm = await _publish(live.cap, event="พายุ", areaCodes=["5001"])
        await live.poller.poll_now()
        whole = await _publish(live.cap, event="หมอกควัน", areaCodes=["50"])
        await live.poller.poll_now()
        assert [(await _next(inside))["alert"]["identifier"] for _ in range(2)] == [storm, whole]
        # the province and the other district hear only the alert for the whole province
        assert (await _next(province))["alert"]["identifier"] == whole
        assert (await _next(beside))["alert"]["identifier"] == whole


async def test_completing_a_subscription_stops_its_events(live: Live) -> None:
    async with connected(live.url) as client:
        await _subscribed(client, "30")
        await client.send({"id": "alerts", "type": "complete"})
        await client.subscribe("again", ALERTS, {"code": "31"})
        assert await client.taken() == []
        assert live.poller.events.subscribers == 1
        await _publish(live.cap, event="ภัยแล้ง", areaCodes=["30"])
        later = await _publish(live.cap, event="ภัยแล้ง", areaCodes=["31"])
        await live.poller.poll_now()
        message = await client.receive()  # the completed subscription heard nothing
        assert message["id"] == "again"
        assert message["payload"]["data"]["disasterAlerts"]["alert"]["identifier"] == later


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_an_alert_polled_by_one_instance_reaches_a_subscriber_of_the_other_once(
    settings_factory: Callable[..., Settings], database_url: str, shared_redis: SharedRedis
) -> None:
    shared = {
        "database_url": database_url,
        "redis_url": REDIS_URL,
        "redis_prefix": shared_redis.prefix,
        "alerts_poll_seconds": 3600.0,
    }
    first = create_app(settings_factory(**shared))
    async with first.router.lifespan_context(first):
        cap = _cap_url(first)  # the second instance reads the first one's sandbox feed
        agencies = connector_settings(CONNECTOR_NAMES, {"GATEWAY_CONNECTOR_CAP_ALERTS_URL": cap})
        second = create_app(dataclasses.replace(settings_factory(**shared), connectors=agencies))
        async with served(second) as url, connected(url) as client:
            a, b = _poller(first), _poller(second)
            await a.read_once()
            await b.read_once()
            await _subscribed(client, "840503")
            flood = await _publish(cap, event="อุทกภัย", areaCodes=["84"])
            assert (await a.poll_now()).published == [flood]
            assert (await b.poll_now()).published == []  # b read it too, but a sent it
            update = await _publish(cap, msgType="Update", references=[flood])
            assert (await b.poll_now()).published == [update]
            assert (await a.poll_now()).published == []
            heard = [await _next(client) for _ in range(2)]
            await client.send({"type": "ping"})
            assert (await client.receive())["type"] == "pong"  # and nothing more before it
    assert [(e["change"], e["alert"]["identifier"]) for e in heard] == [
        ("NEW", flood),
        ("UPDATED", update),
    ]
