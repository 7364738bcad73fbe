"""Open data without a key: every service point as CSV and GeoJSON, every area as CSV.

Each file is streamed a few hundred rows at a time from the index or registry snapshot of the
moment, so memory stays flat whatever the size. CSV is UTF-8 with a byte-order mark (so
spreadsheet programs show Thai) and a header row. The columns (:data:`POINT_COLUMNS`,
:data:`central_codes.export.EXPORT_COLUMNS`) are a published promise: columns may be added at
the end, never renamed, reordered or removed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from central_codes.export import EXPORT_COLUMNS, area_rows, csv_cells
from gateway.connectors.citizeninfo import ServicePointRecord
from gateway.errors import UpstreamError
from gateway.http.responses import Answer, error_response
from gateway.registry import Registry
from gateway.service_points import ServicePointDirectory

__all__ = ["POINT_COLUMNS", "OpenData", "open_data_routes", "point_row"]

POINT_COLUMNS = (
    "point_id",
    "name",
    "agency",
    "subdistrict_code",
    "district_code",
    "province_code",
    "latitude",
    "longitude",
    "procedure_ids",
    "no_copy",
    "rating_average",
    "rating_count",
)
ROWS_PER_CHUNK = 500
_BOM = "\ufeff"
_CSV = "text/csv; charset=utf-8"
_GEOJSON = "application/geo+json"


def point_row(point: ServicePointRecord) -> dict[str, Any]:
    """One point as an open-data row (lists as lists, booleans as booleans)."""
    return {
        "point_id": point.point_id,
        "name": point.name,
        "agency": point.org_code,
        "subdistrict_code": point.tambon_code,
        "district_code": point.tambon_code[:4],
        "province_code": point.tambon_code[:2],
        "latitude": point.lat,
        "longitude": point.lon,
        "procedure_ids": [str(p) for p in point.procedure_ids],
        "no_copy": point.no_copy,
        "rating_average": point.score,
        "rating_count": point.rating_count,
    }


class OpenData:
    """The open-data routes over the service-point directory and the registry."""

    def __init__(self, points: ServicePointDirectory, registry: Registry) -> None:
        self._points, self._registry = points, registry

    async def service_points_csv(self, _request: Request) -> Response | Answer:
        """``/open-data/service-points.csv``."""
        return self._with_points(lambda points: _csv(POINT_COLUMNS, map(point_row, points)), _CSV)

    async def service_points_geojson(self, _request: Request) -> Response | Answer:
        """``/open-data/service-points.geojson``: a FeatureCollection of points."""
        return self._with_points(_geojson, _GEOJSON)

    async def areas_csv(self, _request: Request) -> Response | Answer:
        """``/open-data/areas.csv``: every area, active and abolished."""
        if not self._registry.service.loaded:
            return error_response(503, "NOT_READY", "the registry is not loaded yet")
        rows = area_rows(self._registry.current().snapshot)
        return StreamingResponse(_csv(EXPORT_COLUMNS, rows), media_type=_CSV)

    def _with_points(
        self, body: Callable[[Iterable[ServicePointRecord]], Iterator[str]], media_type: str
    ) -> Response | Answer:
        try:
            index = self._points.require()
        except UpstreamError as error:
            return error_response(503, error.code, str(error), headers={"Retry-After": "5"})
        return StreamingResponse(body(index.points), media_type=media_type)


def _csv(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns)
    buffer.write(_BOM)
    writer.writeheader()
    for n, row in enumerate(rows, start=1):
        writer.writerow(csv_cells(row))
        if n % ROWS_PER_CHUNK == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _geojson(points: Iterable[ServicePointRecord]) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    chunk: list[str] = []
    for n, point in enumerate(points):
        chunk.append(("," if n else "") + json.dumps(_feature(point), ensure_ascii=False))
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk.clear()
    yield "".join(chunk) + "]}"


def _feature(point: ServicePointRecord) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": point.point_id,
        "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
        "properties": point_row(point),
    }


def open_data_routes(points: ServicePointDirectory, registry: Registry) -> list[Route]:
    """The three open-data routes."""
    files = OpenData(points, registry)
    return [
        Route("/open-data/service-points.csv", files.service_points_csv, methods=["GET"]),
        Route("/open-data/service-points.geojson", files.service_points_geojson, methods=["GET"]),
        Route("/open-data/areas.csv", files.areas_csv, methods=["GET"]),
    ]
