"""graphql-transport-ws on the /graphql WebSocket: the protocol's messages and close codes.

One gateway is served for real, its subscriptions capped at 2; the init timeout has its own.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from gateway.access import KeyStore, Tier
from gateway.alerts import AlertPoller
from gateway.app import create_app
from gateway.persisted.manifest import sha256_of
from gateway.settings import Mode, Settings
from tests.gateway.http.live import GraphQLSocket, connected, served

ALERTS = "subscription ($code: ID!) { disasterAlerts(areaCode: $code) { change } }"


@pytest.fixture(scope="module")
async def app(settings_factory: Callable[..., Settings]) -> Starlette:
    """An app, not yet started."""
    return create_app(
        settings_factory(
            subscriptions_per_connection=2,
            rate_limit_public=0,  # the budget has tests of its own
            alerts_poll_seconds=3600.0,
        )
    )


@pytest.fixture(scope="module")
async def url(app: Starlette) -> AsyncIterator[str]:
    """The served app's WebSocket URL."""
    async with served(app) as ws_url:
        yield ws_url


async def _third_refused(client: GraphQLSocket) -> dict[str, Any]:
    """Two subscriptions taken, then a third refused: its error's extensions."""
    for n in ("1", "2"):
        await client.subscribe(n, ALERTS, {"code": "84"})
        assert await client.taken() == []
    await client.subscribe("3", ALERTS, {"code": "84"})
    [refused] = await client.taken()
    assert (refused["id"], refused["type"]) == ("3", "error")
    extensions: dict[str, Any] = refused["payload"][0]["extensions"]
    return extensions


def _poller(app: Starlette) -> AlertPoller:
    poller: AlertPoller = app.state.resources.alerts
    return poller


async def test_a_client_that_does_not_offer_the_protocol_is_closed_with_4406(url: str) -> None:
    async with connected(url, protocols=("graphql-ws",)) as client:
        assert await client.closed_with() == 4406


async def test_ping_is_answered_with_pong_before_and_after_init(url: str) -> None:
    async with connected(url) as client:
        await client.send({"type": "ping"})
        assert (await client.receive())["type"] == "pong"
        await client.init({"client": "test"})
        await client.send({"type": "ping", "payload": {"at": 1}})
        assert (await client.receive())["type"] == "pong"


async def test_a_good_key_in_connection_init_is_acknowledged(app: Starlette, url: str) -> None:
    key, _ = await KeyStore(app.state.resources.engine).issue("p", Tier.PARTNER, ["partner"], None)
    async with connected(url) as client:
        await client.init({"X-API-Key": key})
        await client.subscribe("1", ALERTS, {"code": "84"})
        assert await client.taken() == []
    async with connected(url, headers={"x-api-key": key}) as client:  # on the upgrade request
        await client.init()


@pytest.mark.parametrize(
    "payload",
    [
        {"X-API-Key": "moi_1_forged"},
        {"authorization": "Bearer not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"x-api-key": "moi_1_forged", "Authorization": "Bearer t"},
    ],
)
async def test_bad_credentials_in_connection_init_are_closed_with_4403(
    url: str, payload: dict[str, str]
) -> None:
    async with connected(url) as client:
        await client.send({"type": "connection_init", "payload": payload})
        assert await client.closed_with() == 4403


async def test_a_revoked_key_is_closed_with_4403(app: Starlette, url: str) -> None:
    keys = KeyStore(app.state.resources.engine)
    key, record = await keys.issue("gone", Tier.PUBLIC, [], None)
    await keys.revoke(record.key_id)
    async with connected(url) as client:
        await client.send({"type": "connection_init", "payload": {"X-API-Key": key}})
        assert await client.closed_with() == 4403


async def test_a_forged_key_on_the_upgrade_request_is_closed_with_4403(url: str) -> None:
    async with connected(url, headers={"X-API-Key": "moi_1_forged"}) as client:
        await client.send({"type": "connection_init"})
        assert await client.closed_with() == 4403


async def test_subscribe_before_init_is_closed_with_4401(url: str) -> None:
    async with connected(url) as client:
        await client.subscribe("1", ALERTS, {"code": "84"})
        assert await client.closed_with() == 4401


async def test_a_second_init_is_closed_with_4429(url: str) -> None:
    async with connected(url) as client:
        await client.init()
        await client.send({"type": "connection_init"})
        assert await client.closed_with() == 4429


async def test_no_init_in_time_is_closed_with_4408(
    settings_factory: Callable[..., Settings],
) -> None:
    app = create_app(settings_factory(subscription_init_seconds=0.1))
    async with served(app) as url, connected(url) as client:
        assert await client.closed_with() == 4408


@pytest.mark.parametrize(
    "message",
    ["not json", '["a list"]', '{"type": "hello"}', '{"type": "subscribe", "id": "1"}'],
)
async def test_a_message_outside_the_protocol_is_closed_with_4400(url: str, message: str) -> None:
    async with connected(url) as client:
        await client.init()
        await client.websocket.send_str(message)
        assert await client.closed_with() == 4400


async def test_a_second_subscribe_with_a_running_id_is_closed_with_4409(url: str) -> None:
    async with connected(url) as client:
        await client.init()
        await client.subscribe("same", ALERTS, {"code": "84"})
        assert await client.taken() == []
        await client.subscribe("same", ALERTS, {"code": "50"})
        assert await client.closed_with() == 4409


async def test_a_query_answers_one_next_and_complete(url: str) -> None:
    async with connected(url) as client:
        await client.init()
        query = {"query": '{ province(code: "84") { nameEn } }'}
        await client.send({"id": "q", "type": "subscribe", "payload": query})
        assert [await client.receive(), await client.receive()] == [
            {
                "id": "q",
                "type": "next",
                "payload": {"data": {"province": {"nameEn": "Surat Thani"}}},
            },
            {"id": "q", "type": "complete"},
        ]


@pytest.mark.parametrize("code", ["8x", "99", "849999"])
async def test_a_bad_or_unknown_area_code_is_an_error_message(url: str, code: str) -> None:
    async with connected(url) as client:
        await client.init()
        await client.subscribe("1", ALERTS, {"code": code})
        [error] = await client.taken()
        assert (error["id"], error["type"]) == ("1", "error")
        assert [e["extensions"]["code"] for e in error["payload"]] == ["BAD_AREA_CODE"]


async def test_a_document_that_does_not_validate_is_an_error_message(url: str) -> None:
    async with connected(url) as client:
        await client.init()
        await client.subscribe("1", "subscription { disasterAlerts { change } }")
        [error] = await client.taken()
        assert error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_subscriptions_past_the_cap_are_refused_and_the_connection_stays(
    app: Starlette, url: str
) -> None:
    events = _poller(app).events
    async with connected(url) as client:
        await client.init()
        assert (await _third_refused(client))["code"] == "BAD_REQUEST"
        assert events.subscribers == 2
        await client.send({"id": "1", "type": "complete"})
        await client.subscribe("3", ALERTS, {"code": "84"})
        assert await client.taken() == []
        assert events.subscribers == 2


async def test_leaving_ends_every_subscription_of_the_connection(app: Starlette, url: str) -> None:
    events = _poller(app).events
    before = events.subscribers
    async with connected(url) as client:
        await client.init()
        await client.subscribe("1", ALERTS, {"code": "84"})
        await client.subscribe("2", ALERTS, {"code": "8405"})
        await client.taken()
        assert events.subscribers == before + 2
    async with connected(url) as client:  # a second connection is served after the first left
        await client.init()
        await client.send({"type": "ping"})
        assert (await client.receive())["type"] == "pong"
    assert events.subscribers == before


async def test_the_operation_limits_of_http_apply_to_subscriptions(url: str) -> None:
    aliases = " ".join(f"a{n}: change" for n in range(60))
    async with connected(url) as client:
        await client.init()
        await client.subscribe(
            "1", f'subscription {{ disasterAlerts(areaCode: "84") {{ {aliases} }} }}'
        )
        [error] = await client.taken()
        assert error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_trusted_documents_hold_for_public_subscribers(
    settings_factory: Callable[..., Settings], tmp_path: Path
) -> None:
    registered = 'subscription { disasterAlerts(areaCode: "84") { change } }'
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({sha256_of(registered): registered}))
    app = create_app(
        settings_factory(trusted_documents=True, trusted_documents_manifest=str(manifest))
    )
    by_hash = {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(registered)}}
    async with served(app) as url, connected(url) as client:
        await client.init()
        await client.send({"id": "1", "type": "subscribe", "payload": {"extensions": by_hash}})
        await client.subscribe("2", 'subscription { disasterAlerts(areaCode: "50") { change } }')
        [refused] = await client.taken()  # the registered one runs quietly; the other is refused
        assert (refused["id"], refused["type"]) == ("2", "error")
        assert refused["payload"][0]["extensions"]["code"] == "FORBIDDEN"
        assert _poller(app).events.subscribers == 1


async def test_in_production_anonymous_subscribers_are_not_shown_the_schema(
    settings_factory: Callable[..., Settings],
) -> None:
    app = create_app(settings_factory(mode=Mode.PRODUCTION))
    async with served(app) as url, connected(url) as client:
        await client.init()
        await client.subscribe("1", "{ __schema { queryType { name } } }")
        [refused] = await client.taken()
        assert (refused["id"], refused["type"]) == ("1", "error")
        assert refused["payload"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_each_subscribe_takes_one_request_from_the_callers_budget(
    settings_factory: Callable[..., Settings],
) -> None:
    app = create_app(settings_factory(rate_limit_public=2))
    async with served(app) as url, connected(url) as client:
        await client.init()  # connecting is not counted
        refused = await _third_refused(client)
        assert refused["code"] == "RATE_LIMITED"
        assert refused["retryAfter"] >= 1
        assert _poller(app).events.subscribers == 2


async def test_guessing_credentials_over_the_websocket_spends_the_address_budget(
    settings_factory: Callable[..., Settings],
) -> None:
    app = create_app(settings_factory(rate_limit_public=1))
    async with served(app) as url:
        async with connected(url) as guess:
            await guess.send({"type": "connection_init", "payload": {"X-API-Key": "moi_1_x"}})
            assert await guess.closed_with() == 4403
        async with connected(url) as client:
            await client.init()
            await client.subscribe("1", ALERTS, {"code": "84"})
            [refused] = await client.taken()
            assert refused["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
