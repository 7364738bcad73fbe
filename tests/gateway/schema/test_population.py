"""``population`` on every area, through the real app and the sandbox DOPA statistics agency.

The app here is this module's own (cold caches, a known concurrency); its sandbox's request
log counts the calls the gateway made upstream. Each test asks for its own month, so that no
test finds another's answers in the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.connectors import dopa_stat
from gateway.connectors.catalogue import CONNECTOR_NAMES
from gateway.connectors.config import connector_settings
from gateway.settings import Settings
from sandbox.agencies import dopa_stat as sandbox_dopa_stat
from sandbox.agencies._dopa_figures import population_for
from sandbox.agencies._thai_time import BANGKOK
from sandbox.faults import AgencyState
from sandbox.server import Sandbox

AREA_QUERY = """
query ($code: ID!, $period: String) {
  area(code: $code) {
    nameTh
    ... on Province { population(period: $period) { ...figures } }
    ... on District { population(period: $period) { ...figures } }
    ... on Subdistrict { population(period: $period) { ...figures } }
  }
}
fragment figures on Population {
  male female total houses source stale asOf
  period { yymm gregorian buddhistEra }
}
"""


@pytest.fixture(scope="module")
async def app(settings_factory: Callable[..., Settings]) -> AsyncIterator[Starlette]:
    """An app of its own: DOPA statistics with 8 calls in flight at most, no retries."""
    connectors = connector_settings(CONNECTOR_NAMES, {})
    connectors["dopa_stat"] = dataclasses.replace(connectors["dopa_stat"], concurrency=8, retries=0)
    made = create_app(settings_factory(connectors=connectors))
    async with made.router.lifespan_context(made):
        yield made


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client over :func:`app`."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client


@pytest.fixture
def agency(app: Starlette) -> Iterator[AgencyState]:
    """The sandbox agency's state, its request log emptied, its faults cleared afterwards."""
    sandbox: Sandbox = app.state.resources.agencies.sandbox
    state = sandbox.state.agency("dopa_stat")
    state.requests.clear()
    yield state
    sandbox.state.set_faults("dopa_stat", {"html_block": False})


@pytest.fixture
def in_november_2025(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateway's and the sandbox's clocks in Bangkok read 15 November 2025 (DOPA has September last)."""
    monkeypatch.setattr(dopa_stat, "bangkok_today", lambda: dt.date(2025, 11, 15))
    moment = dt.datetime(2025, 11, 15, 10, tzinfo=BANGKOK)
    monkeypatch.setattr(sandbox_dopa_stat, "bangkok_now", lambda: moment)


async def query(http: httpx.AsyncClient, text: str, **variables: Any) -> dict[str, Any]:
    """The JSON answer of one GraphQL query."""
    answer = await http.post("/graphql", json={"query": text, "variables": variables})
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def calls(state: AgencyState) -> list[dict[str, str]]:
    """The inner query of each call the agency received, in order."""
    return [dict(parse_qsl(urlsplit(r.query["API"]).query)) for r in state.requests]


@pytest.mark.parametrize("code", ["84", "8405", "840503"])
async def test_figures_are_the_agencys(
    http: httpx.AsyncClient, app: Starlette, agency: AgencyState, code: str
) -> None:
    body = await query(http, AREA_QUERY, code=code, period="2025-06")
    assert "errors" not in body, body
    found = body["data"]["area"]["population"]
    data = app.state.resources.agencies.sandbox.data
    expected = population_for(data, code, "6806")
    assert expected is not None
    assert "errors" not in body
    assert found["male"] == expected.male
    assert found["female"] == expected.female
    assert found["total"] == expected.total
    assert found["houses"] == expected.houses
    assert found["period"] == {"yymm": "6806", "gregorian": "2025-06", "buddhistEra": "2568-06"}
    assert (found["source"], found["stale"]) == ("dopa_stat", False)
    assert dt.datetime.fromisoformat(found["asOf"]) <= dt.datetime.now(dt.UTC)


async def test_subdistricts_of_a_district_are_one_call(
    http: httpx.AsyncClient, agency: AgencyState
) -> None:
    text = '{ district(code: "8405") { subdistricts { population(period: "2025-08") { total } } } }'
    body = await query(http, text)
    totals = [s["population"]["total"] for s in body["data"]["district"]["subdistricts"]]
    assert len(totals) > 1
    assert all(t > 0 for t in totals)
    assert [(c["action"], c["rcode"], c.get("tt")) for c in calls(agency)] == [("25", "8405", None)]


@pytest.mark.parametrize(
    "period", ["2025-9", "2025/09", "September 2025", "2025-13", "2025-00", "1956-12", "2099-01"]
)
async def test_a_bad_period_is_bad_user_input(
    http: httpx.AsyncClient, agency: AgencyState, period: str
) -> None:
    body = await query(http, AREA_QUERY, code="84", period=period)
    assert body["data"]["area"] == {"nameTh": "สุราษฎร์ธานี", "population": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert calls(agency) == []


async def test_a_month_without_figures_is_null_without_error(
    http: httpx.AsyncClient, agency: AgencyState
) -> None:
    body = await query(http, AREA_QUERY, code="84", period="2017-12")
    assert body == {"data": {"area": {"nameTh": "สุราษฎร์ธานี", "population": None}}}


async def test_a_firewall_page_nulls_population_only(
    http: httpx.AsyncClient, app: Starlette, agency: AgencyState
) -> None:
    app.state.resources.agencies.sandbox.state.set_faults("dopa_stat", {"html_block": True})
    body = await query(http, AREA_QUERY, code="8405", period="2025-07")
    assert body["data"]["area"] == {"nameTh": "เกาะพะงัน", "population": None}
    [error] = body["errors"]
    assert error["path"] == ["area", "population"]
    assert error["extensions"]["code"] == "UPSTREAM_BLOCKED"
    assert error["extensions"]["connector"] == "dopa_stat"


async def test_every_district_is_one_call_each_then_none_within_the_ttl(
    http: httpx.AsyncClient, agency: AgencyState, in_november_2025: None
) -> None:
    text = "{ provinces { code districts { code population { total } } } }"
    first = await query(http, text)
    assert "errors" not in first
    districts = [d for p in first["data"]["provinces"] for d in p["districts"]]
    assert len(districts) == 928
    assert all(d["population"]["total"] > 0 for d in districts)
    made = calls(agency)
    asked = sorted(c["rcode"] for c in made if c["action"] == "24")
    assert asked == sorted(d["code"] for d in districts)  # each district once
    probes = [(c["cc"], c["yymm"]) for c in made if c["action"] == "23"]
    assert probes == [("10", "6811"), ("10", "6810"), ("10", "6809")]
    assert len(made) == 928 + 3
    agency.requests.clear()
    again = await query(http, text)
    assert again == first
    assert agency.requests == []
