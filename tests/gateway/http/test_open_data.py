"""Open data: every service point as CSV and GeoJSON, every area as CSV, read back with the
standard library's parsers."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from central_codes.export import EXPORT_COLUMNS
from gateway.app import create_app
from gateway.http.open_data import POINT_COLUMNS, ROWS_PER_CHUNK
from gateway.service_points import ServicePointIndex
from gateway.settings import SandboxMode, Settings


async def _index(gateway_app: Starlette) -> ServicePointIndex:
    index = await gateway_app.state.resources.service_points.read_once()
    assert index is not None
    return index


@dataclass
class Streamed:
    """An answer as the ASGI server saw it: status, headers and each body message."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)

    @property
    def content(self) -> bytes:
        return b"".join(self.chunks)


async def _get(app: Starlette, path: str) -> Streamed:
    """GET ``path`` from the app itself, keeping each body message apart."""
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": [], "http_version": "1.1", "scheme": "http",
             "server": ("gateway", 80), "client": ("127.0.0.1", 1234), "root_path": ""}  # fmt: skip
    answer = Streamed()

    requested, done = asyncio.Event(), asyncio.Event()

    async def receive() -> dict[str, Any]:
        if not requested.is_set():
            requested.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()  # the client stays until the whole answer is sent
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message.get("body"):
            answer.chunks.append(message["body"])
        if not message.get("more_body", False) and message["type"] == "http.response.body":
            done.set()

    await app(scope, receive, send)
    return answer


async def test_service_points_csv_holds_every_point(gateway_app: Starlette) -> None:
    index = await _index(gateway_app)
    answer = await _get(gateway_app, "/open-data/service-points.csv")
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == POINT_COLUMNS
    assert [r["point_id"] for r in rows] == [p.point_id for p in index]
    first, point = rows[0], index.points[0]
    assert (first["name"], first["agency"], first["subdistrict_code"]) == (
        point.name,
        point.org_code,
        point.tambon_code,
    )
    assert (float(first["latitude"]), float(first["longitude"])) == (point.lat, point.lon)
    assert first["procedure_ids"].split() == [str(p) for p in point.procedure_ids]
    assert first["no_copy"] == ("true" if point.no_copy else "false")
    assert len(answer.chunks) > len(index) // ROWS_PER_CHUNK  # streamed, not one body


async def test_service_points_geojson_holds_every_point(gateway_app: Starlette) -> None:
    index = await _index(gateway_app)
    answer = await _get(gateway_app, "/open-data/service-points.geojson")
    assert answer.headers["content-type"].startswith("application/geo+json")
    collection = json.loads(answer.content)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["id"] for f in features] == [p.point_id for p in index]
    point, feature = index.points[7], features[7]
    assert feature["geometry"] == {"type": "Point", "coordinates": [point.lon, point.lat]}
    assert tuple(feature["properties"]) == POINT_COLUMNS
    assert feature["properties"]["procedure_ids"] == [str(p) for p in point.procedure_ids]
    assert feature["properties"]["no_copy"] is point.no_copy
    assert len(answer.chunks) > len(index) // ROWS_PER_CHUNK


async def test_areas_csv_holds_every_area(gateway_app: Starlette) -> None:
    snapshot = gateway_app.state.resources.registry.current().snapshot
    answer = await _get(gateway_app, "/open-data/areas.csv")
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert len(rows) == len(snapshot.areas)
    by_code = {r["code"]: r for r in rows}
    assert by_code["840503"]["name_th"] == snapshot.areas["840503"].name_th
    assert by_code["104701"]["status"] == "ABOLISHED"
    assert by_code["104701"]["successors"]


@pytest.mark.parametrize(
    "path", ["/open-data/service-points.csv", "/open-data/service-points.geojson"]
)
async def test_without_citizeninfo_the_files_answer_503(
    settings_factory: Callable[..., Settings], path: str
) -> None:
    app = create_app(settings_factory(sandbox=SandboxMode.NEVER))
    async with app.router.lifespan_context(app):
        await app.state.resources.service_points.read_once()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
            answer = await http.get(path)
    assert answer.status_code == 503
    assert answer.json()["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
