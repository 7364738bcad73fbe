"""The DOPA statistics connector: its pure mappings, and its client against the sandbox agency."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from starlette.applications import Starlette

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.connectors.dopa_stat import (
    DopaStatClient,
    Headcount,
    Period,
    bangkok_today,
    map_houses,
    map_population,
    map_tambons,
    months_back,
    period_of,
    yymm_for,
)
from gateway.errors import UpstreamBadResponse, UpstreamBlocked
from sandbox.agencies import dopa_stat as sandbox_dopa_stat
from sandbox.agencies._dopa_figures import population_for, subdistricts_under, tambon_figures
from sandbox.agencies._thai_time import BANGKOK
from sandbox.server import Sandbox


def ages(sex: int | str, *counts: int | str, **extra: Any) -> dict[str, Any]:
    """A row as action 23/24/25 sends it: ``lsAge0``.. with the given counts."""
    return {"lsageSex": sex, **{f"lsAge{i}": c for i, c in enumerate(counts)}, **extra}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], None),
        ([ages(1, 3, 4), ages(2, 5, 6)], Headcount(7, 11)),
        ([ages(2, 5), ages(1, 1)], Headcount(1, 5)),
        ([ages("1", "10", "20")], Headcount(30, 0)),  # numbers as strings
        ([ages(1, 1, lsSumTotTot=999, lsageYYMM="6809")], Headcount(1, 0)),  # totals ignored
        ([ages(1, 2), ages(1, 3)], Headcount(5, 0)),  # several rows of one sex add up
    ],
)
def test_map_population(rows: list[dict[str, Any]], expected: Headcount | None) -> None:
    assert map_population(rows) == expected


@pytest.mark.parametrize(
    "rows",
    [
        [ages(3, 1)],  # a sex that is neither 1 nor 2
        [{"lsAge0": 1}],  # no sex
        [ages(1, "many")],
        {"lsageSex": 1},  # not a list
    ],
)
def test_map_population_refuses_other_shapes(rows: Any) -> None:
    with pytest.raises((LookupError, ValueError, TypeError)):
        map_population(rows)


def test_map_tambons_groups_rows_by_tambon() -> None:
    rows = [
        ages(1, 10, lstt="84050300"),
        ages(2, 12, lstt="84050300"),
        ages(1, 7, 1, lstt="84050400"),
        ages(2, 9, lstt="84050400"),
    ]
    assert map_tambons(rows) == {"840503": Headcount(10, 12), "840504": Headcount(8, 9)}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], {}),
        ([{"lstt": "84050300", "lssumnotTermDate": 2100}], {"840503": 2100}),
        (
            [
                {"lstt": "10010100", "lssumnotTermDate": "5"},
                {"lstt": "100102", "lssumnotTermDate": 6},
            ],
            {"100101": 5, "100102": 6},
        ),
    ],
)
def test_map_houses(rows: list[dict[str, Any]], expected: dict[str, int]) -> None:
    assert map_houses(rows) == expected


@pytest.mark.parametrize(
    ("yymm", "gregorian", "buddhist_era"),
    [
        ("6812", "2025-12", "2568-12"),
        ("6809", "2025-09", "2568-09"),
        ("6101", "2018-01", "2561-01"),
        ("0001", "1957-01", "2500-01"),
        ("9912", "2056-12", "2599-12"),
    ],
)
def test_period_conversion(yymm: str, gregorian: str, buddhist_era: str) -> None:
    assert period_of(yymm) == Period(yymm, gregorian, buddhist_era)
    year, month = (int(part) for part in gregorian.split("-"))
    assert yymm_for(year, month) == yymm


@pytest.mark.parametrize(("year", "month"), [(2025, 0), (2025, 13), (1956, 12), (2057, 1)])
def test_months_without_a_dopa_month(year: int, month: int) -> None:
    with pytest.raises(ValueError, match="no DOPA month"):
        yymm_for(year, month)


@pytest.mark.parametrize("yymm", ["681", "6813", "6800", "68a2", "٦٨١٢"])
def test_malformed_dopa_months(yymm: str) -> None:
    with pytest.raises(ValueError, match="not a DOPA month"):
        period_of(yymm)


def test_months_back_cross_the_year() -> None:
    assert months_back(dt.date(2026, 2, 10), 4) == ["6902", "6901", "6812", "6811"]


@pytest.fixture
async def dopa(gateway_app: Starlette) -> AsyncIterator[tuple[ConnectorRuntime, Sandbox]]:
    """A cold runtime (its own cache, no retries) on the app's sandbox, the log cleared."""
    sandbox: Sandbox = gateway_app.state.resources.agencies.sandbox
    settings = ConnectorSettings("dopa_stat", base_url=sandbox.urls["dopa_stat"], retries=0)
    state = sandbox.state.agency("dopa_stat")
    state.requests.clear()
    async with client_session() as session:
        try:
            yield ConnectorRuntime(settings, session, cache=MemoryCache()), sandbox
        finally:
            sandbox.state.set_faults("dopa_stat", {"html_block": False})
            state.requests.clear()


async def test_the_newest_month_is_found_by_stepping_back(
    dopa: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, sandbox = dopa
    monkeypatch.setattr(
        sandbox_dopa_stat, "bangkok_now", lambda: dt.datetime(2025, 12, 5, 9, tzinfo=BANGKOK)
    )
    client = DopaStatClient(runtime, "r-1", today=lambda: dt.date(2025, 12, 5))
    assert await client.newest_month() == "6810"
    log = sandbox.state.agency("dopa_stat").requests
    asked = [dict(_inner(r.query["API"]))["yymm"] for r in log]
    assert asked == ["6812", "6811", "6810"]
    assert await client.newest_month() == "6810"
    assert len(log) == 3  # the walk is cached


async def test_the_newest_month_is_found_on_the_real_clock(dopa: Any) -> None:
    runtime, _sandbox = dopa
    assert await DopaStatClient(runtime, "r-1").newest_month() == (
        sandbox_dopa_stat.latest_published(bangkok_today())
    )


async def test_figures_equal_the_agencys_for_each_level(dopa: Any) -> None:
    runtime, sandbox = dopa
    client, data = DopaStatClient(runtime), sandbox.data
    province = (await client.province("84", "6809")).value
    district = (await client.district("8405", "6809")).value
    tambons = (await client.district_tambons("8405", "6809")).value
    for code, found in (("84", province), ("8405", district), ("840503", tambons["840503"])):
        expected = population_for(data, code, "6809")
        assert expected is not None
        assert found == Headcount(expected.male, expected.female)
    assert sorted(tambons) == [a.code for a in _under(sandbox, "8405")]
    houses = (await client.province_houses("84", "6809")).value
    assert houses["840503"] == tambon_figures(data, "840503", "6809").houses
    assert len(houses) == len(_under(sandbox, "84"))


async def test_a_month_not_published_is_none(dopa: Any) -> None:
    runtime, _ = dopa
    this_month = months_back(bangkok_today(), 1)[0]  # never out yet
    assert (await DopaStatClient(runtime).province("84", this_month)).value is None


async def test_a_firewall_page_is_upstream_blocked(dopa: Any) -> None:
    runtime, sandbox = dopa
    sandbox.state.set_faults("dopa_stat", {"html_block": True})
    with pytest.raises(UpstreamBlocked) as caught:
        await DopaStatClient(runtime).district("8405", "6809")
    assert caught.value.extensions["connector"] == "dopa_stat"


async def test_no_month_within_reach_is_a_bad_response(dopa: Any) -> None:
    runtime, _ = dopa
    client = DopaStatClient(runtime, today=lambda: dt.date(2040, 1, 1))
    with pytest.raises(UpstreamBadResponse, match="no figures for the last 24 months"):
        await client.newest_month()


def _inner(api: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(api).query)


def _under(sandbox: Sandbox, code: str) -> list[Any]:
    return subdistricts_under(sandbox.data, code)
