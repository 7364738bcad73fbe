"""DOPA population statistics sandbox: the forwarder's rows, months, sums across levels, faults."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import dopa_stat
from sandbox.agencies._dopa_figures import (
    age_counts,
    population_for,
    tambon_figures,
    villages_for,
)
from sandbox.agencies._thai_time import BANGKOK
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults

POP = "/api/statpophouse/v1/statpop/list"
HOUSE = "/api/statpophouse/v1/stathouse/list"
MONTH = "6809"  # the newest month out in mid-November 2025


@pytest.fixture(autouse=True)
def in_november_2025(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox's clock in Bangkok reads 15 November 2025: September 2025 is the newest month."""
    moment = dt.datetime(2025, 11, 15, 10, tzinfo=BANGKOK)
    monkeypatch.setattr(dopa_stat, "bangkok_now", lambda: moment)


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the DOPA statistics sandbox."""
    async with agency_client(dopa_stat.AGENCY, data) as client:
        yield client


def _url(inner: str) -> str:
    return f"{dopa_stat.FORWARD_PATH}?API={quote(inner, safe='')}"


async def _rows(api: TestClient[Any, Any], inner: str) -> list[dict[str, Any]]:
    response = await api.get(_url(inner))
    assert response.status == 200, await response.text()
    body = await response.json()
    assert isinstance(body, list)
    return body


async def test_a_province_answers_one_row_per_sex_with_102_ages(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    rows = await _rows(api, f"{POP}?action=23&yymm={MONTH}&nat=999&popst=99&cc=84")
    assert [r["lsageSex"] for r in rows] == [1, 2]
    expected = population_for(data, "84", MONTH)
    assert expected is not None
    for row, count in zip(rows, (expected.male, expected.female), strict=True):
        ages = [row[f"lsAge{age}"] for age in range(102)]
        assert all(isinstance(n, int) and n >= 0 for n in ages)
        assert "lsAge102" not in row
        assert sum(ages) == row["lsSumTotTot"] == count
    assert [rows[0][f"lsAge{a}"] for a in range(102)] == age_counts(data, "84", MONTH, 1)


async def test_a_tambon_answers_its_code_name_and_figures(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    rows = await _rows(
        api, f"{POP}?action=25&yymm={MONTH}&nat=999&popst=99&cc=84&rcode=8405&tt=84050300"
    )
    assert [(r["lstt"], r["lsttDesc"], r["lsageSex"]) for r in rows] == [
        ("84050300", "ตำบลเกาะเต่า", 1),
        ("84050300", "ตำบลเกาะเต่า", 2),
    ]
    figures = tambon_figures(data, "840503", MONTH)
    assert [r["lsSumTotTot"] for r in rows] == [figures.male, figures.female]
    short = await _rows(api, f"{POP}?action=25&yymm={MONTH}&cc=84&rcode=8405&tt=840503")
    assert short == rows


async def test_figures_add_up_from_tambons_to_district_to_province(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    tambons = await _rows(api, f"{POP}?action=25&yymm={MONTH}&cc=10&rcode=1001")
    district = await _rows(api, f"{POP}?action=24&yymm={MONTH}&cc=10&rcode=1001")
    assert len(tambons) == 2 * len(data.snapshot.children("1001"))
    for sex, row in zip((1, 2), district, strict=True):
        assert row["lsSumTotTot"] == sum(r["lsSumTotTot"] for r in tambons if r["lsageSex"] == sex)
    province = population_for(data, "10", MONTH)
    districts = [population_for(data, d.code, MONTH) for d in data.snapshot.children("10")]
    assert province is not None
    assert province.total == sum(d.total for d in districts if d is not None)


async def test_villages_split_their_tambon_exactly(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    inner = f"{POP}?action=45&yymmBegin={MONTH}&yymmEnd={MONTH}&cc=84&rcode=8405&tt=84050300"
    rows = await _rows(api, inner)
    assert [r["lsmmCode"] for r in rows] == [v.code for v in villages_for(data, "840503", MONTH)]
    assert all(r["lsmmDesc"].startswith("บ้าน") for r in rows)
    assert all(r["lssumtotTot"] == r["lssumtotMale"] + r["lssumtotFemale"] for r in rows)
    figures = tambon_figures(data, "840503", MONTH)
    assert sum(r["lssumtotMale"] for r in rows) == figures.male
    assert sum(r["lssumtotFemale"] for r in rows) == figures.female


async def test_houses_per_tambon_over_a_range_of_months(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    rows = await _rows(api, f"{HOUSE}?action=33&yymmBegin=6807&yymmEnd=6812&cc=84&rcode=8405")
    tambons = [a.code for a in data.snapshot.children("8405")]
    assert {r["lsyymm"] for r in rows} == {"6807", "6808", "6809"}  # later months not out yet
    assert len(rows) == 3 * len(tambons)
    for row in rows:
        assert set(row) == {"lsyymm", "lsrcode", "lstt", "lsttDesc", "lssumnotTermDate"}
        assert row["lsrcode"] == "8405"
        assert (
            row["lssumnotTermDate"] == tambon_figures(data, row["lstt"][:6], row["lsyymm"]).houses
        )


async def test_the_newest_months_are_empty_so_a_client_steps_back(
    api: TestClient[Any, Any],
) -> None:
    month, tries = "6812", 0
    while not (rows := await _rows(api, f"{POP}?action=23&yymm={month}&nat=999&popst=99&cc=50")):
        month, tries = f"68{int(month[2:]) - 1:02d}", tries + 1
    assert (month, tries) == (MONTH, 3)
    assert len(rows) == 2


async def test_raw_unencoded_api_parameters_are_understood(api: TestClient[Any, Any]) -> None:
    inner = f"{POP}?action=23&yymm={MONTH}&nat=999&popst=99&cc=12"
    raw = await api.get(f"{dopa_stat.FORWARD_PATH}?API={POP}?action=23&yymm={MONTH}&cc=12")
    assert await raw.json() == await _rows(api, inner)


async def test_answers_are_deterministic_and_months_differ(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    inner = f"{POP}?action=25&yymm={MONTH}&cc=30&rcode=3001"
    assert await _rows(api, inner) == await _rows(api, inner)
    assert await _rows(api, inner.replace(MONTH, "6808")) != await _rows(api, inner)
    again = dopa_stat.answer(SandboxData(data.snapshot), inner)
    assert again == await _rows(api, inner)


def test_every_subdistrict_has_a_realistic_population(data: SandboxData) -> None:
    codes = [a.code for areas in data.snapshot.subdistricts_by_province.values() for a in areas]
    totals = [tambon_figures(data, code, MONTH).total for code in codes]
    assert min(totals) >= 700
    assert max(totals) <= 160_000
    assert 60_000_000 <= sum(totals) <= 72_000_000  # Thailand registers about 66 million


@pytest.mark.parametrize(
    ("inner", "status", "body"),
    [
        (f"{POP}?action=23&yymm=6813&cc=10", 400, "yymm"),
        (f"{POP}?action=99&yymm=6809&cc=10", 400, "action"),
        (f"{POP}?action=23&yymm=6809", 400, "cc"),
        ("/api/other/list?action=23", 400, "API"),
    ],
)
async def test_malformed_requests_are_400(
    api: TestClient[Any, Any], inner: str, status: int, body: str
) -> None:
    response = await api.get(_url(inner))
    assert response.status == status
    assert body in await response.text()


async def test_unknown_and_mismatched_codes_answer_an_empty_array(
    api: TestClient[Any, Any],
) -> None:
    assert await _rows(api, f"{POP}?action=23&yymm={MONTH}&cc=99") == []
    assert await _rows(api, f"{POP}?action=25&yymm={MONTH}&cc=84&rcode=5001") == []


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "dopa_stat", _url(f"{POP}?action=23&yymm={MONTH}&cc=10"))


@pytest.mark.parametrize(
    ("today", "newest"),
    [
        (dt.date(2025, 11, 15), "6809"),
        (dt.date(2026, 1, 31), "6811"),
        (dt.date(2027, 10, 1), "7008"),  # the sandbox keeps publishing as time goes on
    ],
)
def test_the_newest_month_trails_today_by_two_months(today: dt.date, newest: str) -> None:
    assert dopa_stat.latest_published(today) == newest
    assert dopa_stat.is_published(newest, today)
    following = dopa_stat.latest_published(today + dt.timedelta(days=31))
    assert not dopa_stat.is_published(following, today)
