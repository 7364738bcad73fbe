"""CITIZENinfo connector: the point mapping table, and paging and look-ups against the sandbox."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.connectors.citizeninfo import (
    AgencyRating,
    CitizenInfoClient,
    Refused,
    ServicePointRecord,
    map_page,
    map_point,
    map_rating,
)
from gateway.connectors.messages import UpstreamResponse
from gateway.errors import (
    UpstreamAuthFailed,
    UpstreamBadResponse,
    UpstreamBlocked,
    UpstreamError,
    UpstreamRateLimited,
    UpstreamUnavailable,
)
from sandbox.server import Sandbox
from sandbox.service_points import service_points

POINT = {
    "pointId": "6f1c2a52-9a55-5d0e-8f43-1d2f0d3c1b0a", "name": " ที่ทำการองค์การบริหารส่วนตำบลท่าข้าม ",
    "orgCode": "6840503", "lat": 9.1, "lon": 99.3, "tambonCode": "840503",
    "procedures": [{"procedureId": 1001}, {"procedureId": "1002"}], "noCopy": True,
    "satisfaction": {"score": 4.25, "count": 12},
}  # fmt: skip
RECORD = ServicePointRecord(
    "6f1c2a52-9a55-5d0e-8f43-1d2f0d3c1b0a", "ที่ทำการองค์การบริหารส่วนตำบลท่าข้าม", "6840503",
    9.1, 99.3, "840503", (1001, 1002), True, 4.25, 12,
)  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, RECORD),
        ({"lat": "9.1", "lon": " 99.3"}, RECORD),  # coordinates as strings
        (
            {"satisfaction": {"score": None, "count": 0}},
            replace(RECORD, score=None, rating_count=0),
        ),
        ({"satisfaction": None}, replace(RECORD, score=None, rating_count=0)),
        ({"noCopy": False, "procedures": []}, replace(RECORD, no_copy=False, procedure_ids=())),
    ],
)
def test_map_point(changes: dict[str, Any], expected: ServicePointRecord) -> None:
    assert map_point(POINT | changes) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"lat": "north"},
        {"lat": 91.0},
        {"lon": "nan"},
        {"procedures": [{"id": 1}]},
        {"lat": None},
        {"procedures": None},
    ],
)
def test_map_point_refuses_other_shapes(changes: dict[str, Any]) -> None:
    with pytest.raises((LookupError, ValueError, TypeError)):
        map_point(POINT | changes)


def _response(payload: object, headers: dict[str, str] | None = None) -> UpstreamResponse:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return UpstreamResponse.build("citizeninfo", 200, body, headers)


def test_map_page_reads_utf8_with_a_byte_order_mark() -> None:
    payload = {"page": 2, "pageSize": 1, "total": 3, "items": [POINT]}
    response = _response(payload, {"Content-Type": "application/json; charset=utf-8"})
    page = map_page(replace(response, body=b"\xef\xbb\xbf" + response.body))
    assert (page.page, page.total, page.items, page.last) == (2, 3, (RECORD,), False)
    assert map_page(_response({"page": 3, "pageSize": 1, "total": 3, "items": [POINT]})).last


@pytest.fixture
async def citizeninfo(
    clean_points_sandbox: Sandbox,
) -> AsyncIterator[tuple[CitizenInfoClient, Sandbox]]:
    """A client on a cold runtime (no retries) to the sandbox's CITIZENinfo."""
    url = clean_points_sandbox.urls["citizeninfo"]
    settings = ConnectorSettings("citizeninfo", base_url=url, retries=0)
    async with client_session() as session:
        runtime = ConnectorRuntime(settings, session, cache=MemoryCache())
        yield CitizenInfoClient(runtime, "r-1"), clean_points_sandbox


def _paths(sandbox: Sandbox) -> list[str]:
    return [r.path for r in sandbox.state.agency("citizeninfo").requests]


async def test_pages_and_points_equal_the_agencys(citizeninfo: Any) -> None:
    client, sandbox = citizeninfo
    expected = service_points(sandbox.data).points
    page = (await client.page(2, size=100)).value
    assert page.total == len(expected)
    assert [p.point_id for p in page.items] == [p.point_id for p in expected[100:200]]
    one = (await client.point(expected[150].point_id)).value
    assert one == page.items[50]
    assert (one.lat, one.lon, one.procedure_ids) == (
        expected[150].lat,
        expected[150].lon,
        expected[150].procedures,
    )
    await client.point(expected[150].point_id)  # cached
    assert len(_paths(sandbox)) == 2


async def test_a_subdistricts_points_only(citizeninfo: Any) -> None:
    client, sandbox = citizeninfo
    page = (await client.page(1, tambon_codes=["840503", "100101"])).value
    wanted = service_points(sandbox.data).by_tambon
    assert page.total == len(wanted["840503"]) + len(wanted["100101"])
    assert sandbox.state.agency("citizeninfo").requests[0].query["tambonCodes"] == "840503,100101"


async def test_an_unknown_point_is_none(citizeninfo: Any) -> None:
    client, _ = citizeninfo
    assert (await client.point("00000000-0000-0000-0000-000000000000")).value is None


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"html_block": True}, UpstreamBlocked),
        ({"down": True}, UpstreamUnavailable),
        ({"malformed": True}, UpstreamBadResponse),
        ({"drop": True}, UpstreamUnavailable),
        ({"error_rate": 1.0, "status": 429, "retry_after": 1}, UpstreamRateLimited),
        ({"error_rate": 1.0, "status": 403}, UpstreamAuthFailed),
    ],
)
async def test_agency_failures_are_our_errors(
    citizeninfo: Any, faults: dict[str, Any], error: type[UpstreamError]
) -> None:
    client, sandbox = citizeninfo
    sandbox.state.set_faults("citizeninfo", faults)
    with pytest.raises(UpstreamError) as raised:
        await client.page(1, size=10)
    assert type(raised.value) is error
    assert raised.value.connector == "citizeninfo"


RATING = {
    "ratingId": "r-1", "pointId": POINT["pointId"], "score": 4, "comment": "",
    "clientReference": "ref-1", "createdAt": "2026-11-23T10:00:00+00:00",
}  # fmt: skip
STORED = AgencyRating("r-1", str(POINT["pointId"]), 4, "ref-1", replayed=False)


@pytest.mark.parametrize(
    ("status", "payload", "replayed", "expected"),
    [
        (201, RATING, False, STORED),
        (201, RATING, True, replace(STORED, replayed=True)),
        (
            404,
            {"error": {"code": "NOT_FOUND", "message": "no point"}},
            False,
            Refused(404, "NOT_FOUND", "no point", ()),
        ),
        (
            409,
            {"error": {"code": "CONFLICT", "message": "m"}},
            False,
            Refused(409, "CONFLICT", "m", ()),
        ),
        (
            422,
            {"error": {"code": "VALIDATION_FAILED", "message": "m", "field": "score"}},
            False,
            Refused(422, "VALIDATION_FAILED", "m", ("score",)),
        ),
    ],
)
def test_map_rating(status: int, payload: dict[str, Any], replayed: bool, expected: object) -> None:
    assert map_rating(status, payload, replayed=replayed) == expected


@pytest.mark.parametrize(
    ("status", "payload"),
    [
        (201, {}),
        (201, RATING | {"ratingId": " "}),
        (201, RATING | {"score": "4"}),
        (201, RATING | {"score": True}),
        (404, {"message": "no"}),
    ],
)
def test_map_rating_refuses_other_shapes(status: int, payload: dict[str, Any]) -> None:
    with pytest.raises((LookupError, ValueError, TypeError)):
        map_rating(status, payload)


async def test_a_rating_is_stored_once_per_reference(citizeninfo: Any) -> None:
    client, sandbox = citizeninfo
    point = service_points(sandbox.data).points[7].point_id
    body = {"score": 5, "comment": "ดีมาก", "clientReference": f"ref-{uuid.uuid4()}"}
    first = await client.rate(point, body)
    again = await client.rate(point, body)
    assert isinstance(first, AgencyRating)
    assert isinstance(again, AgencyRating)
    assert (first.replayed, again.replayed, again.rating_id) == (False, True, first.rating_id)
    assert (first.point_id, first.score) == (point, 5)
    refused = await client.rate(point, body | {"score": 1})
    assert isinstance(refused, Refused)
    assert (refused.status, refused.code) == (409, "CONFLICT")
    gone = await client.rate("00000000-0000-0000-0000-000000000000", body)
    assert isinstance(gone, Refused)
    assert gone.status == 404


async def test_a_rating_is_sent_once_even_when_the_agency_fails(citizeninfo: Any) -> None:
    client, sandbox = citizeninfo
    sandbox.state.set_faults("citizeninfo", {"down": True})
    point = service_points(sandbox.data).points[7].point_id
    with pytest.raises(UpstreamUnavailable):
        await client.rate(point, {"score": 3, "comment": "", "clientReference": "ref-down"})
    assert _paths(sandbox) == [f"/api/service-points/{point}/ratings"]  # the outbox retries
