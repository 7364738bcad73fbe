"""data.go.th (CKAN 2.x Action API) with the Ministry of Interior's datasets.

Contract:

- [known] ``GET /api/3/action/package_search?q=&rows=&start=&fq=``,
  ``package_show?id=`` (name or id) and
  ``datastore_search?resource_id=&limit=&offset=&q=&filters=`` (``filters`` a JSON object,
  field to value or list of values); every answer is ``{help, success, result}``; errors are
  ``{help, success: false, error: {__type, message | <field>: [messages]}}`` with 404 for
  "Not Found Error" and 409 for "Validation Error" / "Search Query Error"; ``datastore_search``
  answers ``result{resource_id, fields[{id, type}], records[], total, limit, offset, _links{start, next}}``
  with each record's ``_id`` (from 1) and ``_links.next`` present even on the last page.
- [assumed] the exact error messages; ``fq`` understands ``organization:``, ``tags:``,
  ``res_format:`` and ``name:`` terms only (Solr understands more); ``q`` matches when every
  word occurs in the name, title, notes, tags or organization (Solr ranks; we keep order).
- The CSV download of each resource (UTF-8 with a byte-order mark, as many data.go.th files).

Datasets: :data:`sandbox.open_data.DATASETS`.
"""

from __future__ import annotations

import csv
import io
import json
import shlex
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from sandbox.data import SandboxData
from sandbox.open_data import DATASETS, Dataset
from sandbox.server import Agency

__all__ = ["AGENCY", "MAX_LIMIT", "MAX_ROWS", "package_json", "search_packages", "search_rows"]

Json = dict[str, Any]
Row = dict[str, Any]
ACTION = "/api/3/action"
MAX_ROWS = 1000  # package_search
MAX_LIMIT = 32000  # datastore_search: CKAN's default ckan.datastore.search.rows_max
_FQ_FIELDS = ("organization", "tags", "res_format", "name")


class CkanError(Exception):
    """An action error: its HTTP status and CKAN's error object."""

    def __init__(self, status: int, error: Json) -> None:
        super().__init__(error.get("message", error))
        self.status = status
        self.error = error


def _validation(field: str, message: str) -> CkanError:
    return CkanError(409, {"__type": "Validation Error", field: [message]})


def package_json(dataset: Dataset, origin: str) -> Json:
    """A package as ``package_show`` answers it."""
    org_name, org_title = dataset.organization
    return {
        "id": dataset.package_id,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "license_id": "cc-by",
        "metadata_created": dataset.modified,
        "metadata_modified": dataset.modified,
        "organization": {"name": org_name, "title": org_title, "type": "organization"},
        "tags": [{"name": t, "display_name": t} for t in dataset.tags],
        "num_resources": 1,
        "resources": [
            {
                "id": dataset.resource_id,
                "package_id": dataset.package_id,
                "name": dataset.title,
                "format": "CSV",
                "url": f"{origin}/dataset/{dataset.name}/resource/{dataset.resource_id}/download/{dataset.name}.csv",
                "last_modified": dataset.modified,
                "datastore_active": True,
            }
        ],
    }


def _text(dataset: Dataset) -> str:
    parts = (dataset.name, dataset.title, dataset.notes, *dataset.tags, *dataset.organization)
    return " ".join(parts).lower()


def _fq_matches(dataset: Dataset, fq: str) -> bool:
    values = {
        "organization": {dataset.organization[0]},
        "tags": set(dataset.tags),
        "res_format": {"CSV"},
        "name": {dataset.name},
    }
    for term in shlex.split(fq):
        field, _, value = term.partition(":")
        if field not in _FQ_FIELDS or not value:
            raise CkanError(
                409, {"__type": "Search Query Error", "message": f"Invalid fq term: {term}"}
            )
        if value not in values[field]:
            return False
    return True


def search_packages(q: str, fq: str = "") -> list[Dataset]:
    """The datasets ``package_search`` finds, in catalogue order."""
    words = [] if q.strip() in ("", "*:*") else q.lower().split()
    return [d for d in DATASETS if all(w in _text(d) for w in words) and _fq_matches(d, fq)]


def _same(wanted: Any, value: Any) -> bool:
    return bool(wanted == value or str(wanted).lower() == str(value).lower())


def _parse_filters(raw: str | None, dataset: Dataset) -> dict[str, list[Any]]:
    if not raw:
        return {}
    try:
        filters = json.loads(raw)
    except ValueError:
        raise _validation("filters", "Cannot parse JSON") from None
    if not isinstance(filters, dict):
        raise _validation("filters", "Not a json object")
    known = {name for name, _ in dataset.fields}
    for field in filters:
        if field not in known:
            raise _validation("filters", f'field "{field}" not in resource')
    return {k: v if isinstance(v, list) else [v] for k, v in filters.items()}


def search_rows(
    rows: Sequence[Row], q: str = "", filters: dict[str, list[Any]] | None = None
) -> list[Row]:
    """The rows (each with its ``_id``) that contain ``q`` and match every filter."""
    needle = q.lower()
    found = []
    for n, row in enumerate(rows, start=1):
        if any(not any(_same(w, row[f]) for w in ws) for f, ws in (filters or {}).items()):
            continue
        if needle and not any(needle in str(v).lower() for v in row.values()):
            continue
        found.append({"_id": n, **row})
    return found


def _int(query: Any, name: str, default: int, top: int) -> int:
    raw = query.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise _validation(name, "Invalid integer")
    return min(int(raw), top)


def _package(key: str) -> Dataset:
    found = next((d for d in DATASETS if key in (d.name, d.package_id)), None)
    if found is None:
        raise CkanError(404, {"__type": "Not Found Error", "message": "Not found"})
    return found


def _resource(rid: str) -> Dataset:
    found = next((d for d in DATASETS if d.resource_id == rid), None)
    if found is None:
        message = f'Resource "{rid}" was not found.'
        raise CkanError(404, {"__type": "Not Found Error", "message": message})
    return found


def _unknown_action(request: web.Request) -> Json:
    name = request.match_info["action"]
    raise CkanError(400, {"__type": "Bad request - Action name not known", "message": name})


def _required(query: Any, name: str) -> str:
    value: str = query.get(name, "")
    if not value:
        raise _validation(name, "Missing value")
    return value


def _datastore(data: SandboxData, query: Any) -> Json:
    rid = _required(query, "resource_id")
    dataset = _resource(rid)
    limit, offset = _int(query, "limit", 100, MAX_LIMIT), _int(query, "offset", 0, 10**9)
    found = search_rows(
        dataset.rows(data), query.get("q", ""), _parse_filters(query.get("filters"), dataset)
    )
    base = f"{ACTION}/datastore_search?resource_id={rid}"
    return {
        "include_total": True,
        "resource_id": rid,
        "records_format": "objects",
        "fields": [{"id": "_id", "type": "int"}]
        + [{"id": f, "type": t} for f, t in dataset.fields],
        "records": found[offset : offset + limit],
        "limit": limit,
        "offset": offset,
        "total": len(found),
        "_links": {"start": base, "next": f"{base}&offset={offset + limit}"},
    }


def _csv(rows: list[Row], dataset: Dataset) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f for f, _ in dataset.fields], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def routes(data: SandboxData) -> Sequence[web.RouteDef]:
    """The CKAN action routes and the resources' downloads."""

    def envelope(request: web.Request, action: str, build: Any) -> web.Response:
        help_url = f"{request.url.origin()}{ACTION}/help_show?name={action}"
        try:
            result = build(request)
        except CkanError as error:
            body = {"help": help_url, "success": False, "error": error.error}
            return web.json_response(body, status=error.status, dumps=_dumps)
        return web.json_response(
            {"help": help_url, "success": True, "result": result}, dumps=_dumps
        )

    def package_search(request: web.Request) -> Json:
        q, origin = request.query, str(request.url.origin())
        found = search_packages(q.get("q", ""), q.get("fq", ""))
        rows, start = _int(q, "rows", 10, MAX_ROWS), _int(q, "start", 0, 10**6)
        results = [package_json(d, origin) for d in found[start : start + rows]]
        return {
            "count": len(found),
            "sort": "score desc, metadata_modified desc",
            "facets": {},
            "search_facets": {},
            "results": results,
        }

    def package_show(request: web.Request) -> Json:
        return package_json(_package(_required(request.query, "id")), str(request.url.origin()))

    actions = {
        "package_search": package_search,
        "package_show": package_show,
        "datastore_search": lambda request: _datastore(data, request.query),
    }

    async def action(request: web.Request) -> web.Response:
        name = request.match_info["action"]
        return envelope(request, name, actions.get(name, _unknown_action))

    async def download(request: web.Request) -> web.Response:
        try:
            dataset = _resource(request.match_info["rid"])
        except CkanError:
            raise web.HTTPNotFound(text="Resource not found") from None
        return web.Response(
            text=_csv(dataset.rows(data), dataset), content_type="text/csv", charset="utf-8"
        )

    return [
        web.get(f"{ACTION}/{{action}}", action),
        web.get("/dataset/{name}/resource/{rid}/download/{file}", download),
    ]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


AGENCY = Agency("ckan", "data.go.th open data (CKAN)", routes)
