"""DOPA population statistics (stat.bora.dopa.go.th) as the sandbox serves it.

Contract:

- [known] one forwarder, ``GET /stat/statnew/connectSAPI/stat_forward.php?API=<path and query>``,
  the inner query URL-encoded in ``API`` (clients that send it raw, so that its parameters
  arrive as outer parameters, are understood too: outer parameters are merged in);
- [known] ``/api/statpophouse/v1/statpop/list?action=23`` (``yymm``, ``nat=999``, ``popst=99``,
  ``cc``): two rows, ``lsageSex`` 1 male and 2 female, with ``lsAge0`` .. ``lsAge101``;
  ``action=24`` (+ ``rcode``, the district registration office): the same for a district;
  ``action=25`` (+ ``rcode``, ``tt``): two rows per tambon with ``lstt`` and ``lsttDesc``;
  ``action=45`` (``yymmBegin``, ``yymmEnd``, ``cc``, ``rcode``, ``tt``): one row per village and
  month, ``lsmmCode``, ``lsmmDesc``, ``lssumtotMale``, ``lssumtotFemale``, ``lssumtotTot``;
  ``/api/statpophouse/v1/stathouse/list?action=33`` (same range parameters): one row per tambon
  and month, ``lsrcode``, ``lstt``, ``lsttDesc``, ``lssumnotTermDate`` (houses);
- [known] ``yymm`` is a Buddhist-era month (``6812`` = December 2025); the newest months are
  missing: months after :func:`latest_published` (the month :data:`PUBLICATION_LAG_MONTHS`
  before the current one in Bangkok) or before :data:`FIRST_PUBLISHED` answer ``[]``, so a
  client must step back; a blocked call is the firewall's ``Request Rejected`` page
  (the framework's ``html_block`` fault);
- [assumed] ``rcode`` is the 4-digit DOPA district code (Bangkok: 1001-1050) and ``tt`` the
  tambon code padded to 8 digits (``84050300``; 6 digits accepted), as in the public clients;
  ``tt`` or ``rcode`` may be left out of actions 25, 45 and 33 to get every tambon of the
  district or province in one call; a missing ``yymm`` means the latest published month;
  a range is at most :data:`MAX_RANGE_MONTHS` months; extra fields ``lsageYYMM``,
  ``lsageRcode``, ``lsyymm``, ``lsSumTotTot``; Bangkok's khwaeng have no villages (``[]``).
  A malformed request is HTTP 400 with a short text.

The figures come from :mod:`sandbox.agencies._dopa_figures` (``population_for``,
``age_counts``, ``villages_for``), so a test can compute every answer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aiohttp import web

from central_codes.records import AreaRecord
from sandbox.agencies._dopa_figures import (
    AGES,
    age_counts,
    subdistricts_under,
    tambon_figures,
    villages_for,
)
from sandbox.agencies._thai_time import (
    bangkok_now,
    month_index,
    months,
    parse_yymm,
    yymm_from_index,
    yymm_of,
)
from sandbox.data import SandboxData
from sandbox.server import Agency

__all__ = [
    "AGENCY",
    "FIRST_PUBLISHED",
    "FORWARD_PATH",
    "MAX_RANGE_MONTHS",
    "PUBLICATION_LAG_MONTHS",
    "BadRequest",
    "answer",
    "is_published",
    "latest_published",
]

FORWARD_PATH = "/stat/statnew/connectSAPI/stat_forward.php"
POP_PATH = "/api/statpophouse/v1/statpop/list"
HOUSE_PATH = "/api/statpophouse/v1/stathouse/list"
PUBLICATION_LAG_MONTHS = 2  # a month's figures come out two months later
FIRST_PUBLISHED = "6101"
MAX_RANGE_MONTHS = 12

Row = dict[str, Any]


class BadRequest(ValueError):
    """A request the forwarder cannot answer (HTTP 400)."""


def latest_published(today: dt.date | None = None) -> str:
    """The newest month out on ``today`` (by default today in Bangkok): two months back."""
    day = today or bangkok_now().date()
    return yymm_from_index(month_index(yymm_of(day.year, day.month)) - PUBLICATION_LAG_MONTHS)


def is_published(yymm: str, today: dt.date | None = None) -> bool:
    """Whether the sandbox has figures for this month (on ``today``, by default now)."""
    newest = month_index(latest_published(today))
    return month_index(FIRST_PUBLISHED) <= month_index(yymm) <= newest


def _month(params: dict[str, str], name: str = "yymm") -> str:
    raw = params.get(name) or params.get("yymm") or latest_published()
    yymm = parse_yymm(raw)
    if yymm is None:
        raise BadRequest(f"{name} must be a Buddhist-era yymm such as 6809")
    return yymm


def _range(params: dict[str, str]) -> list[str]:
    first, last = _month(params, "yymmBegin"), _month(params, "yymmEnd")
    if month_index(last) - month_index(first) >= MAX_RANGE_MONTHS:
        raise BadRequest(f"a range is at most {MAX_RANGE_MONTHS} months")
    return [m for m in months(first, last) if is_published(m)]


def _scope(params: dict[str, str], depth: int = 6) -> str:
    """The code asked about: ``cc``, narrowed by ``rcode`` and ``tt`` down to ``depth`` digits.

    A code that does not nest in the one above gives ``"-"``, which matches no area.
    """
    cc = params.get("cc", "")
    if len(cc) != 2 or not cc.isdigit():
        raise BadRequest("cc must be a 2-digit province code")
    scope = cc
    for name, length in (("rcode", 4), ("tt", 6)):
        value = params.get(name, "")
        if length > depth or not value:
            continue
        value = value[:6] if name == "tt" and len(value) == 8 else value
        if len(value) != length or not value.isdigit():
            raise BadRequest(f"{name} is not a {length}-digit code")
        scope = value if value.startswith(scope) else "-"
    return scope


def _ages(data: SandboxData, code: str, yymm: str, sex: int) -> Row:
    counts = age_counts(data, code, yymm, sex)
    row: Row = {"lsageYYMM": yymm, "lsageSex": sex}
    row.update({f"lsAge{age}": counts[age] for age in range(AGES)})
    row["lsSumTotTot"] = sum(counts)
    return row


def _describe(area: AreaRecord) -> str:
    return ("แขวง" if area.code.startswith("10") else "ตำบล") + area.name_th


def _area_rows(data: SandboxData, scope: str, yymm: str, level: int) -> list[Row]:
    if not subdistricts_under(data, scope):
        return []
    extra = {"lsageRcode": scope} if level == 4 else {"lsageCC": scope}
    return [_ages(data, scope, yymm, sex) | extra for sex in (1, 2)]


def _tambon_rows(data: SandboxData, scope: str, yymm: str) -> list[Row]:
    rows = []
    for area in subdistricts_under(data, scope):
        head = {"lstt": f"{area.code}00", "lsttDesc": _describe(area), "lsageRcode": area.code[:4]}
        rows += [head | _ages(data, area.code, yymm, sex) for sex in (1, 2)]
    return rows


def _village_rows(data: SandboxData, scope: str, span: list[str]) -> list[Row]:
    return [
        {
            "lsyymm": yymm,
            "lsrcode": area.code[:4],
            "lstt": f"{area.code}00",
            "lsmmCode": village.code,
            "lsmmDesc": village.name,
            "lssumtotMale": village.male,
            "lssumtotFemale": village.female,
            "lssumtotTot": village.male + village.female,
        }
        for yymm in span
        for area in subdistricts_under(data, scope)
        for village in villages_for(data, area.code, yymm)
    ]


def _house_rows(data: SandboxData, scope: str, span: list[str]) -> list[Row]:
    return [
        {
            "lsyymm": yymm,
            "lsrcode": area.code[:4],
            "lstt": f"{area.code}00",
            "lsttDesc": _describe(area),
            "lssumnotTermDate": tambon_figures(data, area.code, yymm).houses,
        }
        for yymm in span
        for area in subdistricts_under(data, scope)
    ]


def _population(data: SandboxData, params: dict[str, str]) -> list[Row]:
    action = params.get("action")
    if action in {"23", "24", "25"}:
        yymm = _month(params)
        if not is_published(yymm):
            return []
        if action == "25":
            return _tambon_rows(data, _scope(params), yymm)
        level = 2 if action == "23" else 4
        if level == 4 and not params.get("rcode"):
            raise BadRequest("rcode is required for action 24")
        return _area_rows(data, _scope(params, level), yymm, level)
    if action == "45":
        return _village_rows(data, _scope(params), _range(params))
    raise BadRequest(f"unknown action {action!r}")


def answer(data: SandboxData, api: str, outer: dict[str, str] | None = None) -> list[Row]:
    """The JSON rows for one ``API=`` value (raises :class:`BadRequest`)."""
    split = urlsplit(api)
    params = dict(parse_qsl(split.query)) | dict(outer or {})
    if split.path == POP_PATH:
        return _population(data, params)
    if split.path == HOUSE_PATH and params.get("action") == "33":
        return _house_rows(data, _scope(params), _range(params))
    raise BadRequest(f"unknown API {split.path!r}")


def _routes(data: SandboxData) -> Sequence[web.RouteDef]:
    async def forward(request: web.Request) -> web.Response:
        api = request.query.get("API")
        if not api:
            return web.Response(status=400, text="API is required")
        outer = {k: v for k, v in request.query.items() if k != "API"}
        try:
            rows = answer(data, api, outer)
        except BadRequest as error:
            return web.Response(status=400, text=str(error))
        return web.json_response(rows, dumps=_dumps)

    return [web.get(FORWARD_PATH, forward)]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # Thai as UTF-8, as the agency sends it


AGENCY = Agency("dopa_stat", "DOPA population statistics", _routes)
