"""Which figure a rating is checked and averaged against: the index's when it holds the point
(no call to CITIZENinfo, down or not), else CITIZENinfo's one-point answer, cached."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator

import pytest

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.connectors.citizeninfo import ServicePointRecord
from gateway.ratings import AgencyFigure
from gateway.ratings.points import AgencyPoints
from gateway.service_points import ServicePointIndex
from sandbox.server import Sandbox
from sandbox.service_points import service_points

READ = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
async def runtime(clean_points_sandbox: Sandbox) -> AsyncIterator[ConnectorRuntime]:
    """A runtime to the sandbox CITIZENinfo."""
    url = clean_points_sandbox.urls["citizeninfo"]
    settings = ConnectorSettings("citizeninfo", base_url=url, retries=0)
    async with client_session() as session:
        yield ConnectorRuntime(settings, session, cache=MemoryCache())


def record(point_id: str, score: float | None, count: int) -> ServicePointRecord:
    return ServicePointRecord(
        point_id, "จุดบริการ", "6840503", 9.1, 99.3, "840503", (), True, score, count
    )


def calls(sandbox: Sandbox) -> list[str]:
    return [r.path for r in sandbox.state.agency("citizeninfo").requests]


async def test_the_index_answers_without_the_agency(
    runtime: ConnectorRuntime, clean_points_sandbox: Sandbox
) -> None:
    held = str(uuid.uuid4())  # only the index knows it: the agency is never asked
    index = ServicePointIndex([(record(held, 4.5, 8), READ)])
    points = AgencyPoints(lambda: runtime, lambda: index)
    clean_points_sandbox.state.set_faults("citizeninfo", {"down": True})
    assert await points.figure(held, "r-1") == AgencyFigure(4.5, 8, READ)
    assert calls(clean_points_sandbox) == []


async def test_a_point_the_index_lacks_is_read_from_the_agency_once(
    runtime: ConnectorRuntime, clean_points_sandbox: Sandbox
) -> None:
    sandboxed = service_points(clean_points_sandbox.data).points[41]
    index = ServicePointIndex([(record(str(uuid.uuid4()), 3.0, 1), READ)])
    for source in (lambda: index, lambda: None):  # a point newer than the index; no index yet
        points = AgencyPoints(lambda: runtime, source)
        found = await points.figure(sandboxed.point_id, "r-1")
        assert found is not None
        assert (found.score, found.count) == (sandboxed.score, sandboxed.count)
    assert await points.figure(str(uuid.UUID(int=3)), "r-1") is None
    assert calls(clean_points_sandbox) == [
        f"/api/service-points/{sandboxed.point_id}",  # cached for the second look
        f"/api/service-points/{uuid.UUID(int=3)}",
    ]
