"""CITIZENinfo (OPDC and DGA): about 60,000 government service points and their ratings.

Contract: [assumed] as a whole: no public interface was found. The point's fields are those
the project docs list (``pointId, name, orgCode, lat, lon, tambonCode, procedures[{procedureId}],
noCopy, satisfaction{score, count}``); the routes are our proposal:

- ``GET /api/service-points?tambonCodes=840503,840501&page=1&pageSize=1000``: one page of
  points in export order (by subdistrict code), optionally only those of up to 200 tambons;
  ``{page, pageSize, total, items[]}``. The gateway pages through it to build its index.
- ``GET /api/service-points/{pointId}``: one point; 404 when unknown.
- ``POST /api/service-points/{pointId}/ratings`` with ``{score 1-5, comment, clientReference}``:
  201 with the stored rating. Idempotent on ``clientReference``: the same reference again
  answers 201 with the same rating (header ``Idempotent-Replayed: true``) and stores nothing;
  with a different score, comment or point, 409. 404 unknown point, 422 invalid body.
- Errors: ``{"error": {"code", "message", "field"?}}``.

A point's satisfaction includes the ratings posted to this sandbox. Admin:
``GET /__admin/citizeninfo/ratings`` lists every stored rating (so a test counts deliveries).
The points come from :mod:`sandbox.service_points` (procedure ids are info.go.th's).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

from sandbox.data import SandboxData
from sandbox.server import Agency
from sandbox.service_points import NAMESPACE, ServicePoint, service_points

__all__ = ["AGENCY", "MAX_PAGE_SIZE", "Rating", "RatingStore", "point_json"]

Json = dict[str, Any]
MAX_PAGE_SIZE = 5000
MAX_TAMBONS = 200
_ERRORS: dict[int, type[web.HTTPException]] = {
    404: web.HTTPNotFound,
    409: web.HTTPConflict,
    422: web.HTTPUnprocessableEntity,
}


@dataclass(frozen=True, slots=True)
class Rating:
    """One stored rating."""

    ratingId: str  # noqa: N815 - the wire name
    pointId: str  # noqa: N815
    score: int
    comment: str
    clientReference: str  # noqa: N815
    createdAt: str  # noqa: N815


class RatingStore:
    """Ratings in memory, one per client reference."""

    def __init__(self) -> None:
        self.by_reference: dict[str, Rating] = {}
        self.by_point: defaultdict[str, list[Rating]] = defaultdict(list)

    def add(self, point_id: str, score: int, comment: str, reference: str) -> tuple[Rating, bool]:
        """Store a rating; ``(rating, False)`` when the reference was already stored."""
        known = self.by_reference.get(reference)
        if known is not None:
            if (known.pointId, known.score, known.comment) != (point_id, score, comment):
                raise _error(409, "CONFLICT", "clientReference was used for another rating")
            return known, False
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rating_id = str(uuid.uuid5(NAMESPACE, f"rating/{reference}"))
        rating = Rating(rating_id, point_id, score, comment, reference, created)
        self.by_reference[reference] = rating
        self.by_point[point_id].append(rating)
        return rating, True


def point_json(point: ServicePoint, ratings: Sequence[Rating] = ()) -> Json:
    """A point as CITIZENinfo answers it, its satisfaction including ``ratings``."""
    count = point.count + len(ratings)
    total = (point.score or 0.0) * point.count + sum(r.score for r in ratings)
    return {
        "pointId": point.point_id,
        "name": point.name,
        "orgCode": point.org_code,
        "lat": point.lat,
        "lon": point.lon,
        "tambonCode": point.tambon_code,
        "procedures": [{"procedureId": p} for p in point.procedures],
        "noCopy": point.no_copy,
        "satisfaction": {"score": round(total / count, 2) if count else None, "count": count},
    }


def _error(status: int, code: str, message: str, field: str | None = None) -> web.HTTPException:
    body: Json = {"code": code, "message": message} | ({"field": field} if field else {})
    kind = _ERRORS[status]
    return kind(
        text=json.dumps({"error": body}, ensure_ascii=False), content_type="application/json"
    )


def _int(query: Any, name: str, default: int, top: int) -> int:
    raw = query.get(name, str(default))
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= top:
        raise _error(422, "VALIDATION_FAILED", f"{name} must be an integer from 1 to {top}", name)
    return int(raw)


def _tambons(query: Any) -> list[str] | None:
    raw = query.get("tambonCodes")
    if raw is None:
        return None
    codes = [c.strip() for c in raw.split(",") if c.strip()]
    if (
        not codes
        or len(codes) > MAX_TAMBONS
        or not all(c.isascii() and c.isdigit() and len(c) == 6 for c in codes)
    ):
        raise _error(
            422,
            "VALIDATION_FAILED",
            f"tambonCodes: 1 to {MAX_TAMBONS} six-digit codes",
            "tambonCodes",
        )
    return list(dict.fromkeys(codes))


def _rating_body(body: Any) -> tuple[int, str, str]:
    if not isinstance(body, dict):
        raise _error(422, "VALIDATION_FAILED", "send a JSON object")
    score, comment, reference = (
        body.get("score"),
        body.get("comment", ""),
        body.get("clientReference"),
    )
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise _error(422, "VALIDATION_FAILED", "score must be an integer from 1 to 5", "score")
    if not isinstance(comment, str) or len(comment) > 2000:
        raise _error(
            422, "VALIDATION_FAILED", "comment must be text of at most 2000 characters", "comment"
        )
    if not isinstance(reference, str) or not 1 <= len(reference) <= 100:
        raise _error(
            422,
            "VALIDATION_FAILED",
            "clientReference is required (1-100 characters)",
            "clientReference",
        )
    return score, comment, reference


def routes(data: SandboxData) -> Sequence[web.RouteDef]:
    """The service-point routes; each application gets its own rating store."""
    store = RatingStore()

    def point(request: web.Request) -> ServicePoint:
        found = service_points(data).by_id.get(request.match_info["pointId"])
        if found is None:
            raise _error(404, "NOT_FOUND", "no service point with this pointId")
        return found

    async def listing(request: web.Request) -> web.Response:
        page = _int(request.query, "page", 1, 1_000_000)
        size = _int(request.query, "pageSize", 1000, MAX_PAGE_SIZE)
        tambons, points = _tambons(request.query), service_points(data)
        chosen = (
            points.points
            if tambons is None
            else [p for t in tambons for p in points.by_tambon.get(t, ())]
        )
        items = [
            point_json(p, store.by_point.get(p.point_id, ()))
            for p in chosen[(page - 1) * size : page * size]
        ]
        return web.json_response(
            {"page": page, "pageSize": size, "total": len(chosen), "items": items}
        )

    async def one(request: web.Request) -> web.Response:
        found = point(request)
        return web.json_response(point_json(found, store.by_point.get(found.point_id, ())))

    async def rate(request: web.Request) -> web.Response:
        found = point(request)
        try:
            body = await request.json()
        except ValueError:
            raise _error(422, "VALIDATION_FAILED", "the body is not JSON") from None
        rating, created = store.add(found.point_id, *_rating_body(body))
        headers = {} if created else {"Idempotent-Replayed": "true"}
        return web.json_response(asdict(rating), status=201, headers=headers)

    async def ratings(request: web.Request) -> web.Response:
        stored = [asdict(r) for r in store.by_reference.values()]
        return web.json_response({"count": len(stored), "ratings": stored})

    return [
        web.get("/api/service-points", listing),
        web.get("/api/service-points/{pointId}", one),
        web.post("/api/service-points/{pointId}/ratings", rate),
        web.get("/__admin/citizeninfo/ratings", ratings),
    ]


AGENCY = Agency("citizeninfo", "CITIZENinfo service points (OPDC, DGA)", routes)
