"""Service points in the graph, through the real app and its sandbox CITIZENinfo and info.go.th."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.service_points import ServicePointIndex, haversine_km
from gateway.settings import SandboxMode, Settings
from sandbox.server import Sandbox
from sandbox.service_points import service_points

POINT = """
query ($id: ID!) {
  servicePoint(id: $id) {
    id name agency location { latitude longitude } area { code nameTh } procedureIds
    noCopy rating { average count } source asOf
  }
}
"""
NEAR = """
query ($lat: Float!, $lon: Float!, $radiusKm: Float!, $first: Int!, $service: ID) {
  servicePointsNear(lat: $lat, lon: $lon, radiusKm: $radiusKm, first: $first, service: $service) {
    distanceKm point { id }
  }
}
"""
PAGE = """
query ($code: ID!, $first: Int!, $after: String, $service: ID) {
  area(code: $code) {
    ... on District { servicePoints(first: $first, after: $after, service: $service) { ...page } }
    ... on Province { servicePoints(first: $first, after: $after, service: $service) { ...page } }
  }
}
fragment page on ServicePointConnection {
  totalCount nodes { id } pageInfo { hasNextPage endCursor }
}
"""
PROCEDURES = """
query ($code: ID!) {
  subdistrict(code: $code) {
    servicePoints(first: 50) {
      nodes { id procedures { id name category noCopy documents { name noCopy copies }
                              steps { number name } fees { amount currency }
                              complaintChannels { name telephone } source } }
    }
  }
}
"""


async def _index(gateway_app: Starlette) -> ServicePointIndex:
    index = await gateway_app.state.resources.service_points.read_once()
    assert index is not None
    return index


async def _ask(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    answer = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = answer.json()
    return body


async def _data(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await _ask(client, query, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_a_point_by_id(gateway_app: Starlette, client: httpx.AsyncClient) -> None:
    await _index(gateway_app)
    sandbox: Sandbox = gateway_app.state.resources.agencies.sandbox
    expected = service_points(sandbox.data).by_tambon["840503"][0]
    found = (await _data(client, POINT, id=expected.point_id))["servicePoint"]
    assert found["name"] == expected.name
    assert found["agency"] == expected.org_code
    assert found["location"] == {"latitude": expected.lat, "longitude": expected.lon}
    assert found["area"]["code"] == "840503"
    assert found["procedureIds"] == [str(p) for p in expected.procedures]
    assert (found["noCopy"], found["source"]) == (expected.no_copy, "citizeninfo")
    assert found["rating"] == {"average": expected.score, "count": expected.count}
    unknown = "00000000-0000-0000-0000-000000000000"
    assert (await _data(client, POINT, id=unknown))["servicePoint"] is None
    bad = await _ask(client, POINT, id="840503")
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("lat", "lon", "radius", "first", "service"),
    [
        (13.7563, 100.5018, 5.0, 25, None),
        (9.14, 99.33, 40.0, 60, None),
        (13.75, 100.5, 30.0, 8, "1001"),
    ],
)
async def test_nearest_points_equal_a_brute_force_search(
    gateway_app: Starlette,
    client: httpx.AsyncClient,
    lat: float,
    lon: float,
    radius: float,
    first: int,
    service: str | None,
) -> None:
    index = await _index(gateway_app)
    variables = {"lat": lat, "lon": lon, "radiusKm": radius, "first": first, "service": service}
    found = (await _data(client, NEAR, **variables))["servicePointsNear"]
    offering = [p for p in index if service is None or int(service) in p.procedure_ids]
    measured = sorted(
        (haversine_km(lat, lon, p.lat, p.lon), n, p.point_id) for n, p in enumerate(offering)
    )
    expected = [(d, i) for d, _, i in measured if d <= radius][:first]
    assert [(f["distanceKm"], f["point"]["id"]) for f in found] == expected
    assert len(found) == first


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"lat": 91.0}, "lat"),
        ({"lon": -180.5}, "lon"),
        ({"radiusKm": 0.0}, "radiusKm"),
        ({"radiusKm": 500.0}, "radiusKm"),
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
        ({"service": "birth"}, "service"),
    ],
)
async def test_near_arguments_are_checked(
    gateway_app: Starlette, client: httpx.AsyncClient, changes: dict[str, Any], argument: str
) -> None:
    await _index(gateway_app)
    variables = {"lat": 13.75, "lon": 100.5, "radiusKm": 5.0, "first": 5} | changes
    body = await _ask(client, NEAR, **variables)
    assert body["data"] == {"servicePointsNear": None}
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}


async def _walk(client: httpx.AsyncClient, code: str, first: int, service: str | None) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        page = await _data(client, PAGE, code=code, first=first, after=after, service=service)
        points = page["area"]["servicePoints"]
        ids += [n["id"] for n in points["nodes"]]
        if not points["pageInfo"]["hasNextPage"]:
            assert points["totalCount"] == len(ids)
            return ids
        after = points["pageInfo"]["endCursor"]


@pytest.mark.parametrize(("code", "first", "service"), [("8405", 7, None), ("84", 500, None),
                                                         ("84", 9, "1001")])  # fmt: skip
async def test_an_areas_points_page_by_page(
    gateway_app: Starlette, client: httpx.AsyncClient, code: str, first: int, service: str | None
) -> None:
    index = await _index(gateway_app)
    wanted = index.in_area(code, None if service is None else int(service))
    assert await _walk(client, code, first, service) == [p.point_id for p in wanted]


def _shared_procedures_in(index: ServicePointIndex, province: str) -> str:
    """The first subdistrict of the province where two points offer the same procedure."""
    for point in index.in_area(province):
        here = index.in_area(point.tambon_code)
        offered = [p for other in here for p in other.procedure_ids]
        if len(offered) > len(set(offered)):
            return point.tambon_code
    raise AssertionError(f"no subdistrict of {province} has two points sharing a procedure")


async def test_each_distinct_procedure_is_fetched_once_then_cached(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    index = await _index(gateway_app)
    sandbox: Sandbox = gateway_app.state.resources.agencies.sandbox
    log = sandbox.state.agency("infogoth").requests
    code = _shared_procedures_in(index, "95")  # Yala: no other test asks about it
    distinct = {p for point in index.in_area(code) for p in point.procedure_ids}
    log.clear()
    points = (await _data(client, PROCEDURES, code=code))["subdistrict"]["servicePoints"]["nodes"]
    details = [r.path for r in log if "GetProcedureDetailV2" in r.path]
    assert len(details) == len(set(details)) == len(distinct)
    assert len(log) == 5 * len(distinct)  # the detail, steps, documents, fees and channels
    assert sum(len(p["procedures"]) for p in points) > len(distinct)  # points share procedures
    first = points[0]["procedures"][0]
    assert first["noCopy"] == all(d["noCopy"] for d in first["documents"])
    assert first["source"] == "infogoth"
    log.clear()
    await _data(client, PROCEDURES, code=code)
    assert len(log) == 0


async def test_a_point_is_a_federation_entity(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    index = await _index(gateway_app)
    some = index.points[42]
    query = (
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServicePoint { name } } }"
    )
    representations = [{"__typename": "ServicePoint", "id": some.point_id},
                       {"__typename": "ServicePoint", "id": "unknown"}]  # fmt: skip
    entities = (await _data(client, query, r=representations))["_entities"]
    assert entities == [{"name": some.name}, None]


async def test_without_citizeninfo_fields_answer_its_error(
    settings_factory: Callable[..., Settings],
) -> None:
    app = create_app(settings_factory(sandbox=SandboxMode.NEVER))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
            await app.state.resources.service_points.read_once()
            query = '{ province(code: "84") { nameTh servicePoints { totalCount } } }'
            body = await _ask(http, query)
    assert body["data"] == {"province": {"nameTh": "สุราษฎร์ธานี", "servicePoints": None}}
    extensions = body["errors"][0]["extensions"]
    assert (extensions["code"], extensions["connector"]) == ("UPSTREAM_UNAVAILABLE", "citizeninfo")


async def test_a_rating_given_here_counts_at_once_in_the_points_rating(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    index = await _index(gateway_app)
    point = index.in_area("96")[3]  # Narathiwat: no other test rates it
    rate = """
    mutation ($id: ID!) {
      rateServicePoint(input: {servicePointId: $id, score: 5, idempotencyKey: "points-rating-1"}) {
        ratingId
      }
    }
    """
    await _data(client, rate, id=point.point_id)
    query = "query ($id: ID!) { servicePoint(id: $id) { rating { count pending } } }"
    rating = (await _data(client, query, id=point.point_id))["servicePoint"]["rating"]
    assert rating == {"count": point.rating_count + 1, "pending": 1}
