"""Water and electricity on areas, through the real app and the sandbox agencies."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from central_codes.database import create_engine, migrate
from central_codes.loading import load_registry
from central_codes.records import RegistryData
from central_codes.supplier_import import import_supplier_overrides
from gateway.app import create_app
from gateway.settings import Settings
from sandbox.agencies import pea, pwa
from sandbox.agencies._thai_time import bangkok_now
from sandbox.server import Sandbox

OVERRIDE = "area_code,kind,supplier,source,as_of\n{code},water,PWA,survey,2024-05-01\n{code},electricity,PEA,survey,2024-05-01\n"
MIXED_SUB = "120101"  # in Mueang Nonthaburi (1201), MWA and MEA by the rule
SUPPLIERS = """{ subdistrict(code: "%s") {
  waterSupplier { code name byProvinceRule source }
  electricitySupplier { code byProvinceRule }
  waterSuppliers { code } } }"""
UTILITIES = """{ %s(code: "%s") {
  waterSuppliers { code byProvinceRule } waterSupplier { code }
  electricitySuppliers { code } electricitySupplier { code }
  waterOutages { id source asOf areaCodes areaNames }
  powerOutages { id source asOf areaCodes planned }
  evChargers { id source areaCode connectors { type powerKw } } } }"""


async def _ask(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    answer = await client.post("/graphql", json={"query": query})
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize(
    ("code", "water", "power"), [("120101", "MWA", "MEA"), ("500101", "PWA", "PEA")]
)
async def test_a_subdistrict_names_its_suppliers(
    client: httpx.AsyncClient, code: str, water: str, power: str
) -> None:
    body = await _ask(client, SUPPLIERS % code)
    area = body["data"]["subdistrict"]
    assert area["waterSupplier"]["code"] == water
    assert area["waterSupplier"]["byProvinceRule"] is True
    assert area["electricitySupplier"] == {"code": power, "byProvinceRule": True}
    assert area["waterSuppliers"] == [{"code": water}]


async def test_a_district_of_chiang_mai_has_the_outages_pwa_and_pea_announce(
    client: httpx.AsyncClient, gateway_app: Starlette
) -> None:
    sandbox: Sandbox = gateway_app.state.resources.agencies.sandbox
    day = bangkok_now().date()
    body = await _ask(client, UTILITIES % ("district", "5001"))
    area = body["data"]["district"]
    water = pwa.notices_for(sandbox.data, ["5001"], day)
    power = pea.notices_for(sandbox.data, ["5001"], day)
    assert sorted(o["id"] for o in area["waterOutages"]) == sorted(n["noticeId"] for n in water)
    assert sorted(o["id"] for o in area["powerOutages"]) == sorted(n["noticeId"] for n in power)
    assert {o["source"] for o in area["waterOutages"]} <= {"pwa"}
    assert all(c["areaCode"].startswith("5001") for c in area["evChargers"])


@pytest.fixture(scope="module")
async def mixed_app(
    settings_factory: Callable[..., Settings], geothai_data: RegistryData
) -> AsyncIterator[tuple[httpx.AsyncClient, Sandbox]]:
    """Our own app (cold caches, no retries) whose registry moves one Nonthaburi
    subdistrict to PWA and PEA."""
    settings = settings_factory()
    settings = dataclasses.replace(
        settings,
        connectors={n: dataclasses.replace(c, retries=0) for n, c in settings.connectors.items()},
    )
    engine = create_engine(settings.database_url)
    await migrate(engine)
    await load_registry(engine, geothai_data)
    assert (await import_supplier_overrides(engine, OVERRIDE.format(code=MIXED_SUB))).ok
    await engine.dispose()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
            yield http, app.state.resources.agencies.sandbox


def _calls(sandbox: Sandbox) -> Counter[tuple[str, str]]:
    return Counter(
        (name, request.path)
        for name in ("mwa", "pwa", "mea", "pea")
        for request in sandbox.state.agency(name).requests
    )


def _clear(sandbox: Sandbox) -> None:
    for name in ("mwa", "pwa", "mea", "pea"):
        sandbox.state.agency(name).requests.clear()


async def test_an_override_changes_one_subdistrict_and_nothing_else(mixed_app: Any) -> None:
    http, _ = mixed_app
    moved = (await _ask(http, SUPPLIERS % MIXED_SUB))["data"]["subdistrict"]
    assert moved["waterSupplier"]["code"] == "PWA"
    assert moved["waterSupplier"]["byProvinceRule"] is False
    assert moved["waterSupplier"]["source"] == "survey"
    assert moved["electricitySupplier"] == {"code": "PEA", "byProvinceRule": False}
    neighbour = (await _ask(http, SUPPLIERS % "120102"))["data"]["subdistrict"]
    assert neighbour["waterSupplier"]["code"] == "MWA"
    assert neighbour["electricitySupplier"] == {"code": "MEA", "byProvinceRule": True}


async def test_a_district_served_by_both_asks_each_utility_once_per_batch(
    mixed_app: Any,
) -> None:
    http, sandbox = mixed_app
    _clear(sandbox)
    area = (await _ask(http, UTILITIES % ("district", "1201")))["data"]["district"]
    assert [s["code"] for s in area["waterSuppliers"]] == ["MWA", "PWA"]
    assert area["waterSupplier"] is None
    assert area["electricitySupplier"] is None
    calls = _calls(sandbox)
    subs = await _ask(http, '{ district(code: "1201") { subdistricts { code } } }')
    mwa_codes = {s["code"] for s in subs["data"]["district"]["subdistricts"]} - {MIXED_SUB}
    located = sandbox.data.snapshot.locations
    mwa_points = {(located[c].lat, located[c].lon) for c in mwa_codes}
    assert calls[("pwa", "/api/outages")] == 1
    assert calls[("mea", "/api/outages")] == 1
    assert calls[("pea", "/api/outages")] == 1
    assert calls[("mea", "/api/ev-chargers")] == 1
    assert calls[("pea", "/api/ev-chargers")] == 1
    # one call per distinct point: subdistricts placed at their district seat share one
    assert sum(n for (name, _), n in calls.items() if name == "mwa") == len(mwa_points)
    asked = {
        (float(r.path.split("/")[-3]), float(r.path.split("/")[-1]))
        for r in sandbox.state.agency("mwa").requests
    }
    assert asked == mwa_points
    pwa_query = next(r for r in sandbox.state.agency("pwa").requests)
    assert pwa_query.query == {"tambonCode": MIXED_SUB}


async def test_a_province_asks_in_batches_of_a_hundred(mixed_app: Any) -> None:
    http, sandbox = mixed_app
    _clear(sandbox)
    body = await _ask(
        http, '{ province(code: "10") { powerOutages { source } evChargers { id } } }'
    )
    assert body["data"]["province"]["powerOutages"] is not None
    calls = _calls(sandbox)
    assert calls[("mea", "/api/outages")] == 2  # Bangkok's 180 subdistricts: 100 + 80
    assert calls[("mea", "/api/ev-chargers")] == 2


async def test_a_failing_utility_nulls_only_its_own_fields(mixed_app: Any) -> None:
    http, sandbox = mixed_app
    sandbox.state.set_faults("pea", {"down": True})
    try:
        body = await _ask(http, UTILITIES % ("subdistrict", "500102"))
    finally:
        sandbox.state.agency("pea").faults = dataclasses.replace(
            sandbox.state.agency("pea").faults, down=False
        )
    area = body["data"]["subdistrict"]
    assert area["powerOutages"] is None
    assert area["evChargers"] is None
    assert isinstance(area["waterOutages"], list)
    assert area["electricitySupplier"] == {"code": "PEA"}
    assert {e["path"][-1] for e in body["errors"]} == {"powerOutages", "evChargers"}
    assert {e["extensions"]["connector"] for e in body["errors"]} == {"pea"}


async def test_an_override_imported_while_running_is_served_after_the_next_poll(
    settings_factory: Callable[..., Settings],
) -> None:
    settings = settings_factory()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        registry = app.state.resources.registry
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
            before = (await _ask(http, SUPPLIERS % MIXED_SUB))["data"]["subdistrict"]
            assert before["waterSupplier"]["code"] == "MWA"
            release = registry.service.snapshot.release.id
            engine = create_engine(settings.database_url)  # as another process would
            assert (await import_supplier_overrides(engine, OVERRIDE.format(code=MIXED_SUB))).ok
            await engine.dispose()
            assert await registry.refresh()  # what the poll does every few seconds
            after = (await _ask(http, SUPPLIERS % MIXED_SUB))["data"]["subdistrict"]
            assert after["waterSupplier"]["code"] == "PWA"
            assert registry.service.snapshot.release.id == release  # no new release was needed
            assert not await registry.refresh()  # nothing changed since
