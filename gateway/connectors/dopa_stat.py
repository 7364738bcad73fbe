"""DOPA population statistics (stat.bora.dopa.go.th): registered people and houses per area.

Every call goes through one forwarder, ``GET /stat/statnew/connectSAPI/stat_forward.php`` with
the inner path and query URL-encoded in ``API``. What this client uses:

- [known] ``statpop/list?action=23`` (``yymm``, ``nat=999``, ``popst=99``, ``cc``): a province,
  two rows (``lsageSex`` 1 male, 2 female) of ``lsAge0`` .. ``lsAge101``;
- [known] ``action=24`` (+ ``rcode``): the same for a district;
- [known] ``action=25`` (+ ``rcode``, ``tt``): two rows per tambon carrying ``lstt``;
- [known] ``stathouse/list?action=33`` (``yymmBegin``, ``yymmEnd``, ``cc``, ...): one row per
  tambon and month with ``lstt`` and ``lssumnotTermDate`` (houses);
- [known] ``yymm`` is a Buddhist-era year's last two digits and the month (``6812`` = December
  2568 BE = December 2025); the newest months answer ``[]``, so the newest month is found by
  stepping back from the current month; a blocked call is a ``Request Rejected`` HTML page
  (the runtime raises UPSTREAM_BLOCKED for it);
- [assumed] ``rcode`` is the 4-digit DOPA district code and ``tt`` the tambon code padded to 8
  digits; leaving ``tt`` out of action 25 answers every tambon of the district at once, and
  leaving ``rcode`` and ``tt`` out of action 33 every tambon of the province.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse
from gateway.errors import UpstreamBadResponse

__all__ = [
    "BE_OFFSET",
    "CONNECTOR",
    "MAX_STEPS_BACK",
    "DopaStatClient",
    "Headcount",
    "Period",
    "bangkok_today",
    "map_houses",
    "map_population",
    "map_tambons",
    "months_back",
    "period_of",
    "yymm_for",
]

CONNECTOR = "dopa_stat"
FORWARD_PATH = "/stat/statnew/connectSAPI/stat_forward.php"
POP_PATH = "/api/statpophouse/v1/statpop/list"
HOUSE_PATH = "/api/statpophouse/v1/stathouse/list"
BE_OFFSET = 543
MAX_STEPS_BACK = 24  # months tried, the current one first, before giving up
PROBE_PROVINCE = "10"  # the newest month is looked for with Bangkok's province figures
_AGE_FIELD = "lsAge"
T = TypeVar("T")
Rows = list[Mapping[str, Any]]
_BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")


@dataclass(frozen=True, slots=True)
class Headcount:
    """Registered men and women of an area in one month."""

    male: int
    female: int

    @property
    def total(self) -> int:
        """Men and women."""
        return self.male + self.female


@dataclass(frozen=True, slots=True)
class Period:
    """A DOPA month, with its Gregorian and Buddhist-era ``YYYY-MM`` forms."""

    yymm: str
    gregorian: str
    buddhist_era: str


def yymm_for(year: int, month: int) -> str:
    """The DOPA month of a Gregorian year and month (2025, 12 -> ``"6812"``).

    Two digits hold Buddhist-era years 2500-2599 only (Gregorian 1957-2056); anything
    else, or a month outside 1-12, is a ValueError.
    """
    if not 1 <= month <= 12 or not 2500 <= year + BE_OFFSET <= 2599:
        raise ValueError(f"{year:04d}-{month:02d} has no DOPA month")
    return f"{(year + BE_OFFSET) % 100:02d}{month:02d}"


def period_of(yymm: str) -> Period:
    """The Gregorian and Buddhist-era forms of a DOPA month (``6812`` -> 2025-12, 2568-12)."""
    if len(yymm) != 4 or not (yymm.isascii() and yymm.isdigit()) or not 1 <= int(yymm[2:]) <= 12:
        raise ValueError(f"{yymm!r} is not a DOPA month")
    be_year, month = 2500 + int(yymm[:2]), yymm[2:]
    return Period(yymm, f"{be_year - BE_OFFSET:04d}-{month}", f"{be_year:04d}-{month}")


def bangkok_today() -> dt.date:
    """Today in Bangkok (UTC+7), where DOPA's months turn."""
    return dt.datetime.now(_BANGKOK).date()


def months_back(today: dt.date, steps: int) -> list[str]:
    """The DOPA months from ``today``'s back, newest first, ``steps`` of them."""
    index = today.year * 12 + today.month - 1
    return [yymm_for(i // 12, i % 12 + 1) for i in range(index, index - steps, -1)]


def _row_sums(row: Mapping[str, Any]) -> int:
    return sum(int(v) for k, v in row.items() if k.startswith(_AGE_FIELD) and k[5:].isdigit())


def map_population(rows: Sequence[Mapping[str, Any]]) -> Headcount | None:
    """Men and women from rows of ``lsAge*`` by ``lsageSex`` (1 male, 2 female); None for ``[]``."""
    if not isinstance(rows, list):
        raise TypeError("the answer is not a list of rows")
    if not rows:
        return None
    sums = {1: 0, 2: 0}
    for row in rows:
        sex = int(row["lsageSex"])
        if sex not in sums:
            raise ValueError("lsageSex is neither 1 nor 2")
        sums[sex] += _row_sums(row)
    return Headcount(sums[1], sums[2])


def map_tambons(rows: Sequence[Mapping[str, Any]]) -> dict[str, Headcount]:
    """Each tambon's men and women (by 6-digit code) from action 25's rows."""
    by_tambon: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_tambon.setdefault(_tambon_code(row), []).append(row)
    return {code: count for code, found in by_tambon.items() if (count := map_population(found))}


def map_houses(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Each tambon's houses (by 6-digit code) from action 33's rows."""
    if not isinstance(rows, list):
        raise TypeError("the answer is not a list of rows")
    houses: dict[str, int] = {}
    for row in rows:
        code = _tambon_code(row)
        houses[code] = houses.get(code, 0) + int(row["lssumnotTermDate"])
    return houses


def _tambon_code(row: Mapping[str, Any]) -> str:
    code = str(row["lstt"])[:6]
    if len(code) != 6 or not code.isdigit():
        raise ValueError("lstt is not a tambon code")
    return code


def _rows(response: UpstreamResponse) -> Rows:
    rows = response.json()
    if not isinstance(rows, list):
        raise TypeError("the answer is not a list of rows")
    return rows


class DopaStatClient:
    """Population and houses per area and month; one instance per request, no I/O at birth."""

    def __init__(
        self,
        runtime: ConnectorRuntime,
        request_id: str | None = None,
        *,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        self._runtime = runtime
        self._request_id = request_id
        self._today = today

    async def newest_month(self) -> str:
        """The newest month the agency has, stepping back from the current month.

        Each month tried is cached by the runtime, so within the cache TTL the walk makes
        no upstream call. UPSTREAM_BAD_RESPONSE when none of :data:`MAX_STEPS_BACK` has figures.
        """
        today = (self._today or bangkok_today)()
        for yymm in months_back(today, MAX_STEPS_BACK):
            if (await self.province(PROBE_PROVINCE, yymm)).value is not None:
                return yymm
        raise UpstreamBadResponse(
            f"{CONNECTOR} has no figures for the last {MAX_STEPS_BACK} months", connector=CONNECTOR
        )

    async def province(self, cc: str, yymm: str) -> Fetched[Headcount | None]:
        """A province's men and women (None when the agency has no figures)."""
        return await self._population({"action": "23", "yymm": yymm, "cc": cc}, f"23:{cc}:{yymm}")

    async def district(self, code: str, yymm: str) -> Fetched[Headcount | None]:
        """A district's men and women (4-digit code)."""
        params = {"action": "24", "yymm": yymm, "cc": code[:2], "rcode": code}
        return await self._population(params, f"24:{code}:{yymm}")

    async def district_tambons(self, code: str, yymm: str) -> Fetched[dict[str, Headcount]]:
        """Every tambon of a district (4-digit code) in one call, by 6-digit code."""
        params = {"action": "25", "yymm": yymm, "cc": code[:2], "rcode": code}
        return await self._fetch(
            POP_PATH, {**params, "nat": "999", "popst": "99"}, f"25:{code}:{yymm}", map_tambons
        )

    async def province_houses(self, cc: str, yymm: str) -> Fetched[dict[str, int]]:
        """The houses of every tambon of a province in one call, by 6-digit code."""
        params = {"action": "33", "yymmBegin": yymm, "yymmEnd": yymm, "cc": cc}
        return await self._fetch(HOUSE_PATH, params, f"33:{cc}:{yymm}", map_houses)

    async def _population(self, params: dict[str, str], key: str) -> Fetched[Headcount | None]:
        return await self._fetch(
            POP_PATH, {**params, "nat": "999", "popst": "99"}, key, map_population
        )

    async def _fetch(
        self,
        path: str,
        params: dict[str, str],
        key: str,
        mapping: Callable[[Rows], T],
    ) -> Fetched[T]:
        request = UpstreamRequest(
            path=FORWARD_PATH,
            params={"API": f"{path}?{urlencode(params)}"},
            request_id=self._request_id,
            expect="json",
        )
        return await self._runtime.fetch(
            request, parse=lambda response: mapping(_rows(response)), cache_key=key
        )
