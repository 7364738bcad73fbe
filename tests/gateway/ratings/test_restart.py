"""Done when: a rating survives CITIZENinfo being down and the gateway restarting, and reaches
CITIZENinfo exactly once when it returns; the point's average shows it from the start.

The agency runs apart from the gateway (its own sandbox, driven through its admin API), so it
keeps its ratings while one gateway app is shut down and a new one starts on the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.connectors.catalogue import CONNECTOR_NAMES
from gateway.connectors.config import connector_settings
from gateway.settings import SandboxMode, Settings
from sandbox.faults import Faults
from sandbox.server import Sandbox
from sandbox.service_points import service_points

RATE = """mutation ($input: RateServicePointInput!) {
  rateServicePoint(input: $input) { ratingId status replayed %s }
}"""
WITH_AVERAGE = "pointRating { average count pending }"


def settings(database_url: str, agency: str) -> Settings:
    environ = {
        "GATEWAY_CONNECTOR_CITIZENINFO_URL": agency,
        "GATEWAY_CONNECTOR_CITIZENINFO_BREAKER_COOLDOWN_SECONDS": "0.1",
    }
    return Settings(
        database_url=database_url,
        sandbox=SandboxMode.NEVER,
        connectors=connector_settings(CONNECTOR_NAMES, environ),
        outbox_poll_seconds=0.05,
        outbox_backoff_seconds=0.05,
        outbox_backoff_max_seconds=0.2,
        outbox_flush_seconds=0.5,
    )


@contextlib.asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client


async def rate(client: httpx.AsyncClient, fields: str = "", **values: Any) -> dict[str, Any]:
    query = RATE % fields
    response = await client.post("/graphql", json={"query": query, "variables": {"input": values}})
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["rateServicePoint"]
    return found


async def status_after(client: httpx.AsyncClient, wanted: str, **values: Any) -> dict[str, Any]:
    """The receipt (a repeat of the same rating) once its status is ``wanted``."""
    for _ in range(300):
        receipt = await rate(client, **values)
        if receipt["status"] == wanted:
            return receipt
        await asyncio.sleep(0.05)
    raise AssertionError(f"the rating did not become {wanted}")


async def tried(agency: Agency, posts: int) -> None:
    """Wait until the agency has been sent ``posts`` ratings."""
    for _ in range(300):
        if await agency.posts() >= posts:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the agency was not sent {posts} ratings")


class Agency:
    """The sandbox CITIZENinfo through its admin API, as an operator would drive it."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.url = sandbox.urls["citizeninfo"]

    async def admin(self, method: str, path: str, body: Any = None) -> Any:
        async with httpx.AsyncClient() as plain:
            answer = await plain.request(method, f"{self.url}/__admin/{path}", json=body)
        assert answer.status_code == 200
        return answer.json()

    async def ratings(self, reference: str) -> list[dict[str, Any]]:
        stored = (await self.admin("GET", "citizeninfo/ratings"))["ratings"]
        return [r for r in stored if r["clientReference"] == reference]

    async def satisfaction(self, point_id: str) -> dict[str, Any]:
        """The point's figure now: ``{score, count}``."""
        async with httpx.AsyncClient() as plain:
            answer = await plain.get(f"{self.url}/api/service-points/{point_id}")
        figure: dict[str, Any] = answer.json()["satisfaction"]
        return figure

    def back(self, sandbox: Sandbox) -> None:
        """Up again, its request log emptied in the same step: every POST logged from now on
        reached a working agency (through the admin API, a retry could fall between the two)."""
        state = sandbox.state.agency("citizeninfo")
        state.requests.clear()
        state.faults = Faults()

    async def posts(self) -> int:
        logged = (await self.admin("GET", "requests/citizeninfo"))["requests"]
        return sum(r["method"] == "POST" for r in logged)


async def test_a_rating_survives_the_agency_down_and_a_restart(
    database_url: str, clean_points_sandbox: Sandbox
) -> None:
    agency = Agency(clean_points_sandbox)
    point = service_points(clean_points_sandbox.data).points[23].point_id
    first = {"servicePointId": point, "score": 1, "idempotencyKey": "restart-first"}
    second = {"servicePointId": point, "score": 5, "comment": "ดีมาก"}
    second["idempotencyKey"] = "restart-second"
    base = await agency.satisfaction(point)
    base_total, base_count = (base["score"] or 0.0) * base["count"], base["count"]

    async with running(create_app(settings(database_url, agency.url))) as client:
        await status_after(client, "DELIVERED", **first)  # the point is read: the gateway knows it
        await agency.admin("PUT", "faults/citizeninfo", {"down": True})
        receipt = await rate(client, WITH_AVERAGE, **second)
        assert (receipt["status"], receipt["replayed"]) == ("ACCEPTED", False)
        assert receipt["pointRating"]["count"] == base_count + 2  # both in, the agency's figure
        assert receipt["pointRating"]["pending"] == 2  # was read before either reached it
        average = round((base_total + 1 + 5) / (base_count + 2), 2)
        assert receipt["pointRating"]["average"] == average
        await tried(agency, 3)  # the first rating once, the second at least twice
    assert await agency.ratings(receipt["ratingId"]) == []

    async with running(create_app(settings(database_url, agency.url))) as client:
        waiting = await rate(client, **second)
        assert (waiting["ratingId"], waiting["status"]) == (receipt["ratingId"], "ACCEPTED")
        agency.back(clean_points_sandbox)
        await status_after(client, "DELIVERED", **second)
        delivered = await rate(client, WITH_AVERAGE, **second)  # the agency's figure read anew
        now = await agency.satisfaction(point)
        assert now["count"] == base_count + 2
        assert delivered["pointRating"] == {  # the agency's own figure: nothing counted twice
            "average": now["score"],
            "count": base_count + 2,
            "pending": 0,
        }
    assert len(await agency.ratings(receipt["ratingId"])) == 1
    assert await agency.posts() == 1
