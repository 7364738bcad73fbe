"""``disasterAlerts`` on every area, through the real app and the sandbox CAP agency.

Each test publishes its own alerts through the sandbox's admin API, polls, and asks the graph;
the sandbox's initial alerts may share an area, so tests look for their own identifiers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.alerts import AlertPoller, PollReport
from gateway.app import create_app
from gateway.settings import Settings

SENDER = "cap@disaster.go.th"
QUERY = """
query ($code: ID!, $activeOnly: Boolean!) {
  area(code: $code) {
    ... on Province { disasterAlerts(activeOnly: $activeOnly) { ...alert } }
    ... on District { disasterAlerts(activeOnly: $activeOnly) { ...alert } }
    ... on Subdistrict { disasterAlerts(activeOnly: $activeOnly) { ...alert } }
  }
}
fragment alert on DisasterAlert {
  id identifier sender status msgType severity replaces source asOf stale expires
  event headline eventEn: event(lang: EN)
  areas { areaDesc codes } areasEn: areas(lang: EN) { areaDesc codes }
}
"""


async def _publish(gateway_app: Starlette, **alert: Any) -> str:
    url = gateway_app.state.resources.agencies.sandbox.urls["cap_alerts"]
    async with httpx.AsyncClient() as sandbox:
        answer = await sandbox.post(f"{url}/__admin/cap/alerts", json=alert)
    assert answer.status_code == 201, answer.text
    identifier: str = answer.json()["identifier"]
    return identifier


async def _poll(gateway_app: Starlette) -> PollReport:
    poller: AlertPoller = gateway_app.state.resources.alerts
    return await poller.poll_now()


async def _alerts(
    client: httpx.AsyncClient, code: str, *, active_only: bool = True
) -> dict[str, dict[str, Any]]:
    variables = {"code": code, "activeOnly": active_only}
    answer = (await client.post("/graphql", json={"query": QUERY, "variables": variables})).json()
    assert "errors" not in answer, answer
    return {a["identifier"]: a for a in answer["data"]["area"]["disasterAlerts"]}


async def test_a_published_alert_shows_on_its_province_and_everything_inside(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    flood = await _publish(gateway_app, event="อุทกภัย", eventEn="Flood", areaCodes=["84"])
    assert flood in (await _poll(gateway_app)).added
    for code in ("84", "8405", "840503"):
        assert flood in await _alerts(client, code)
    assert flood not in await _alerts(client, "50")
    shown = (await _alerts(client, "840503"))[flood]
    assert shown["id"] == f"{SENDER},{flood}"
    assert (shown["status"], shown["msgType"], shown["source"]) == ("Actual", "Alert", "cap_alerts")
    assert (shown["event"], shown["eventEn"]) == ("อุทกภัย", "Flood")
    assert shown["areas"] == [{"areaDesc": "สุราษฎร์ธานี", "codes": ["84"]}]
    assert shown["areasEn"] == [{"areaDesc": "Surat Thani", "codes": ["84"]}]


async def test_a_district_alert_shows_below_it_but_not_above(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    storm = await _publish(gateway_app, event="พายุ", areaCodes=["5001"])
    await _poll(gateway_app)
    assert storm in await _alerts(client, "500101")
    assert storm not in await _alerts(client, "50")
    assert storm not in await _alerts(client, "500201")


async def test_an_update_replaces_its_alert_and_a_cancel_removes_it(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    first = await _publish(gateway_app, event="ไฟป่า", areaCodes=["57"])
    await _poll(gateway_app)
    assert first in await _alerts(client, "5701")
    update = await _publish(gateway_app, msgType="Update", references=[first], severity="Extreme")
    await _poll(gateway_app)
    shown = await _alerts(client, "5701")
    assert first not in shown
    assert shown[update]["severity"] == "Extreme"
    assert shown[update]["replaces"] == [f"{SENDER},{first}"]
    cancel = await _publish(gateway_app, msgType="Cancel", references=[update])
    await _poll(gateway_app)
    shown = await _alerts(client, "5701", active_only=False)
    assert not {first, update, cancel} & set(shown)


@pytest.mark.parametrize("status", ["Exercise", "Test"])
async def test_an_alert_that_is_not_actual_is_not_shown(
    gateway_app: Starlette, client: httpx.AsyncClient, status: str
) -> None:
    drill = await _publish(gateway_app, event="สึนามิ", areaCodes=["83"], status=status)
    assert drill in (await _poll(gateway_app)).added
    assert drill not in await _alerts(client, "8301", active_only=False)


async def test_areas_by_name_map_and_an_unknown_name_stays_unmapped(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    rain = await _publish(gateway_app, event="ฝนตกหนัก", areaNames=["เชียงราย", "ทะเลอันดามันตอนบน"])
    report = await _poll(gateway_app)
    assert report.unmapped[rain] == ("ทะเลอันดามันตอนบน",)
    shown = (await _alerts(client, "570101"))[rain]
    assert shown["areas"] == [
        {"areaDesc": "เชียงราย", "codes": ["57"]},
        {"areaDesc": "ทะเลอันดามันตอนบน", "codes": []},
    ]


async def test_expired_alerts_are_left_out_of_active_only(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    past = await _publish(gateway_app, event="ภัยแล้ง", areaCodes=["30"], expiresInHours=-1)
    await _poll(gateway_app)
    assert past not in await _alerts(client, "3001")
    assert past in await _alerts(client, "3001", active_only=False)


async def test_the_first_query_after_start_up_gets_alerts_not_an_error(
    settings_factory: Callable[..., Settings],
) -> None:
    app = create_app(settings_factory(alerts_poll_seconds=3600.0))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            answer = await client.post(
                "/graphql", json={"query": '{ province(code: "84") { disasterAlerts { id } } }'}
            )
        body = answer.json()
        assert "errors" not in body, body
        assert isinstance(body["data"]["province"]["disasterAlerts"], list)
        assert app.state.resources.alerts.store.as_of is not None
