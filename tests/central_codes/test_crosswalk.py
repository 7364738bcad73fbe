"""Crosswalks: the Department of Lands' district codes, Bangkok's letter codes included."""

from __future__ import annotations

import datetime as dt

from central_codes.codes import Level
from central_codes.crosswalk import (
    DOL_DISTRICT,
    dol_district_area,
    dol_districts,
    subdistrict_named,
)
from central_codes.records import AreaRecord, RegistryData, Status
from central_codes.snapshot import Snapshot
from sandbox.agencies.landsmaps import dol_district_code


def test_every_active_district_has_a_dol_code(geothai_data: RegistryData) -> None:
    districts = [a for a in geothai_data.areas if a.level is Level.DISTRICT]
    active = {a.code for a in districts if a.status is Status.ACTIVE}
    rows = [c for c in geothai_data.crosswalks if c.system == DOL_DISTRICT]
    assert {r.area_code for r in rows} == active
    assert len(rows) == len(active) == 928
    assert all(r.source for r in rows)


def test_dol_codes_agree_with_the_agency(snapshot: Snapshot) -> None:
    for district in snapshot.areas.values():
        if district.level is Level.DISTRICT and district.status is Status.ACTIVE:
            dol = dol_district_code(district.code)  # what the sandbox LandsMaps takes
            found = dol_district_area(snapshot.from_external, district.code[:2], dol)
            assert found == district.code


def test_bangkok_letter_codes_and_unknown_pairs(snapshot: Snapshot) -> None:
    walk = snapshot.from_external
    assert dol_district_area(walk, "10", "ก3") == "1038"
    assert dol_district_area(walk, "10", "ต4") == "1050"
    assert dol_district_area(walk, "10", "38") is None  # Lat Phrao is ก3 at DOL, not 38
    assert dol_district_area(walk, "84", "05") == "8405"
    assert dol_district_area(walk, "84", "ก1") is None


def test_a_bangkok_district_dol_does_not_list_gets_no_guess() -> None:
    made = AreaRecord("1099", Level.DISTRICT, "ใหม่", None, Status.ACTIVE, "10")
    assert dol_districts([made], dt.date(2025, 1, 1)) == ()


def test_subdistricts_are_matched_by_name(snapshot: Snapshot) -> None:
    kids = snapshot.children("8405")
    one = kids[0]
    assert subdistrict_named(kids, one.name_th) == one
    assert subdistrict_named(kids, "ต." + one.name_th) == one
    assert subdistrict_named(kids, "ตำบล" + one.name_th) == one
    assert subdistrict_named(kids, "ไม่มีชื่อนี้") is None
    assert subdistrict_named(kids, None) is None
