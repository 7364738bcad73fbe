"""The front door's last resort: an exception nothing else handled is logged with the request
id and answered 500 without a word of it, on the GraphQL path and on every other."""

from __future__ import annotations

import logging
import uuid

import httpx
import pytest
from starlette.applications import Starlette

from gateway.access import Tier
from gateway.http.graphql import GraphQLEndpoint
from gateway.http.health import Health
from tests.conftest import key_headers

SECRET = "database password is hunter2"
RECENT = "{ auditRecords(last: 50) { requestId status } }"


def _broken(*_args: object) -> None:
    raise RuntimeError(SECRET)


async def test_a_graphql_request_that_fails_outside_execution_is_a_masked_500(
    gateway_app: Starlette,
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    request_id = f"door-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(GraphQLEndpoint, "_media_type", _broken)  # fails before any answer
    with caplog.at_level(logging.ERROR, logger="gateway.http"):
        response = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": request_id}
        )
    assert response.status_code == 500
    assert response.headers["x-request-id"] == request_id
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": request_id}
    assert SECRET not in response.text
    assert "Traceback" not in response.text
    logged = [r for r in caplog.records if r.name == "gateway.http"]
    assert [request_id in r.getMessage() for r in logged] == [True]

    monkeypatch.undo()  # the server goes on answering, and the trail holds the failure
    headers = await key_headers(gateway_app, Tier.INTERNAL)
    answer = await client.post("/graphql", json={"query": RECENT}, headers=headers)
    assert answer.status_code == 200
    records = answer.json()["data"]["auditRecords"]
    assert {"requestId": request_id, "status": 500} in records


async def test_a_failing_route_is_a_500_with_its_request_id_logged_once(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    request_id = f"door-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(Health, "_database", _broken)
    with caplog.at_level(logging.ERROR):
        response = await client.get("/readyz", headers={"X-Request-Id": request_id})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == request_id
    assert SECRET not in response.text
    failures = [r for r in caplog.records if r.exc_info is not None]
    assert len(failures) == 1
    assert request_id in failures[0].getMessage()
