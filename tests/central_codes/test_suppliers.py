"""Water and electricity suppliers: the province rule, imported overrides, areas spanning both."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.snapshot import RegistryService, Snapshot, read_snapshot
from central_codes.supplier_import import import_supplier_overrides, parse_overrides
from central_codes.suppliers import (
    RULE_SOURCE,
    SupplierOverride,
    UtilityKind,
    index_overrides,
    supplier_of,
    suppliers_under,
)

WATER, POWER = UtilityKind.WATER, UtilityKind.ELECTRICITY
NONTHABURI_SUB = "120101"  # Suan Yai, Mueang Nonthaburi
CHIANG_MAI_SUB = "500101"  # Si Phum, Mueang Chiang Mai
PATHUM_THANI_SUB = "130101"
SURVEY = "MWA service area survey 2024"


def _override(code: str, kind: UtilityKind, supplier: str) -> SupplierOverride:
    return SupplierOverride(code, kind, supplier, SURVEY, dt.date(2024, 5, 1))


@pytest.mark.parametrize(
    ("code", "kind", "supplier"),
    [
        (NONTHABURI_SUB, WATER, "MWA"),
        (NONTHABURI_SUB, POWER, "MEA"),
        ("100101", WATER, "MWA"),
        ("110101", POWER, "MEA"),
        (CHIANG_MAI_SUB, WATER, "PWA"),
        (CHIANG_MAI_SUB, POWER, "PEA"),
        (PATHUM_THANI_SUB, WATER, "PWA"),
    ],
)
def test_the_province_rule(snapshot: Snapshot, code: str, kind: UtilityKind, supplier: str) -> None:
    found = supplier_of(snapshot, code, kind, {})
    assert (found.supplier, found.by_rule, found.source) == (supplier, True, RULE_SOURCE)
    assert found.as_of == snapshot.release.loaded_at.date()


def test_an_override_changes_one_subdistrict_and_one_kind(snapshot: Snapshot) -> None:
    overrides = index_overrides((_override(PATHUM_THANI_SUB, WATER, "MWA"),))
    found = supplier_of(snapshot, PATHUM_THANI_SUB, WATER, overrides)
    assert (found.supplier, found.source, found.as_of, found.by_rule) == (
        "MWA",
        SURVEY,
        dt.date(2024, 5, 1),
        False,
    )
    assert supplier_of(snapshot, PATHUM_THANI_SUB, POWER, overrides).supplier == "PEA"
    assert supplier_of(snapshot, "130102", WATER, overrides).supplier == "PWA"


def test_a_district_lists_the_distinct_suppliers_of_its_subdistricts(snapshot: Snapshot) -> None:
    district = snapshot.areas["1301"]
    assert [s.supplier for s in suppliers_under(snapshot, district, WATER, {})] == ["PWA"]
    overrides = index_overrides((_override(PATHUM_THANI_SUB, WATER, "MWA"),))
    mwa, pwa = suppliers_under(snapshot, district, WATER, overrides)
    assert (mwa.supplier, mwa.by_rule, mwa.source) == ("MWA", False, SURVEY)
    assert (pwa.supplier, pwa.by_rule, pwa.source) == ("PWA", True, RULE_SOURCE)


def test_a_province_and_a_subdistrict_list_their_suppliers(snapshot: Snapshot) -> None:
    found = suppliers_under(snapshot, snapshot.areas["12"], POWER, {})
    assert [s.supplier for s in found] == ["MEA"]
    sub = suppliers_under(snapshot, snapshot.areas[CHIANG_MAI_SUB], WATER, {})
    assert [s.supplier for s in sub] == ["PWA"]


GOOD = textwrap.dedent(
    f"""\
    area_code,kind,supplier,source,as_of
    {PATHUM_THANI_SUB},water,MWA,{SURVEY},2024-05-01
    """
)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("999999,water,MWA,s,2024-05-01", "not an active subdistrict"),
        ("1301,water,MWA,s,2024-05-01", "not an active subdistrict"),
        (f"{PATHUM_THANI_SUB},gas,MWA,s,2024-05-01", "not water or electricity"),
        (f"{PATHUM_THANI_SUB},water,MEA,s,2024-05-01", "does not supply water"),
        (f"{PATHUM_THANI_SUB},electricity,PWA,s,2024-05-01", "does not supply electricity"),
        (f"{PATHUM_THANI_SUB},water,MWA,,2024-05-01", "source is empty"),
        (f"{PATHUM_THANI_SUB},water,MWA,s,01/05/2024", "not a date"),
    ],
)
def test_a_bad_row_is_reported_with_its_line(row: str, message: str) -> None:
    found = parse_overrides(GOOD + row + "\n", {PATHUM_THANI_SUB})
    assert not found.ok
    [error] = found.errors
    assert error.startswith("line 3:")
    assert message in error


def test_a_wrong_header_is_reported() -> None:
    found = parse_overrides("code,kind\n130101,water\n", {PATHUM_THANI_SUB})
    assert found.errors == ("the header must be area_code,kind,supplier,source,as_of",)


async def test_an_import_reaches_the_snapshot(loaded_engine: AsyncEngine) -> None:
    result = await import_supplier_overrides(loaded_engine, GOOD)
    assert result.ok
    snapshot = await read_snapshot(loaded_engine)
    assert snapshot is not None
    changed = supplier_of(snapshot, PATHUM_THANI_SUB, WATER, snapshot.supplier_overrides)
    assert (changed.supplier, changed.source) == ("MWA", SURVEY)
    assert list(snapshot.supplier_overrides) == [(PATHUM_THANI_SUB, WATER)]


async def test_an_import_with_one_bad_row_writes_nothing(loaded_engine: AsyncEngine) -> None:
    text = GOOD + "130102,water,MEA,s,2024-05-01\n"
    result = await import_supplier_overrides(loaded_engine, text)
    assert not result.ok
    snapshot = await read_snapshot(loaded_engine)
    assert snapshot is not None
    assert dict(snapshot.supplier_overrides) == {}


async def test_a_second_import_replaces_the_same_row(loaded_engine: AsyncEngine) -> None:
    await import_supplier_overrides(loaded_engine, GOOD)
    again = GOOD.replace("MWA,", "PWA,").replace(SURVEY, "PWA branch register")
    assert (await import_supplier_overrides(loaded_engine, again)).ok
    snapshot = await read_snapshot(loaded_engine)
    assert snapshot is not None
    [row] = snapshot.supplier_overrides.values()
    assert (row.supplier, row.source) == ("PWA", "PWA branch register")


async def test_the_service_swaps_in_changed_overrides_without_a_new_release(
    loaded_engine: AsyncEngine,
) -> None:
    service = RegistryService(loaded_engine)
    assert await service.refresh()
    served = service.snapshot
    assert not await service.refresh()
    assert (await import_supplier_overrides(loaded_engine, GOOD)).ok
    assert await service.refresh()
    assert service.snapshot.release == served.release
    assert service.snapshot.areas is served.areas  # the areas are shared, not read again
    assert list(service.snapshot.supplier_overrides) == [(PATHUM_THANI_SUB, WATER)]
    assert not await service.refresh()
