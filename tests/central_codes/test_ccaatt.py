"""DOPA's CCAATT code list: the file, its problems, and merging it into the registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.codes import Level
from central_codes.loading import latest_release
from central_codes.models import Area, Base, RegistryRelease
from central_codes.records import AreaRecord, RegistryData, Status
from central_codes.snapshot import read_snapshot
from central_codes.sources.ccaatt import (
    SOURCE_NAME,
    CcaattReport,
    ProblemKind,
    import_ccaatt,
    parse_ccaatt,
)
from central_codes.sources.ccaatt_format import (
    parse_ccaatt_code,
    parse_retire_date,
    registry_name,
)

HEADER = "code,name_th,retired_on"


def ccaatt_file(*rows: str, header: str | None = HEADER, encoding: str = "utf-8") -> bytes:
    """A CCAATT file with these CSV rows under ``header`` (None: no header row)."""
    lines = [*([header] if header is not None else []), *rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def parse(data: bytes, known_codes: tuple[str, ...] = ()) -> CcaattReport:
    return parse_ccaatt(data, source_version="2025-01", known_codes=known_codes)


def problems(report: CcaattReport) -> list[tuple[int, ProblemKind]]:
    return [(problem.row, problem.kind) for problem in report.problems]


SURAT_THANI = (
    "84000000,จังหวัดสุราษฎร์ธานี,",
    "84050000,อำเภอเกาะพะงัน,",
    "84050300,ตำบลเกาะเต่า,",
)
PLAIN_SURAT_THANI = (("84000000", "สุราษฎร์ธานี"), ("84050000", "เกาะพะงัน"), ("84050300", "เกาะเต่า"))
EXPECTED_SURAT_THANI = [("84", "สุราษฎร์ธานี"), ("8405", "เกาะพะงัน"), ("840503", "เกาะเต่า")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("2015-03-11", dt.date(2015, 3, 11)),
        ("20150311", dt.date(2015, 3, 11)),
        ("11/03/2015", dt.date(2015, 3, 11)),
        ("1/3/2015", dt.date(2015, 3, 1)),
        ("2558-03-11", dt.date(2015, 3, 11)),
        ("25580311", dt.date(2015, 3, 11)),
        ("11/03/2558", dt.date(2015, 3, 11)),
        ("29/02/2563", dt.date(2020, 2, 29)),  # 2563 BE itself is not a leap year
        ("๑๑/๐๓/๒๕๕๘", dt.date(2015, 3, 11)),
        ("2400-01-01", dt.date(2400, 1, 1)),
    ],
)
def test_retire_dates_are_read_in_every_form(text: str, expected: dt.date | None) -> None:
    assert parse_retire_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2015-13-01", "31/02/2015", "2015/03/11", "11-03-2015", "2558", "11/03/58", "yesterday", "-"],
)
def test_garbage_is_not_a_retire_date(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_retire_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10000000", "10"),
        ("10010000", "1001"),
        ("10010100", "100101"),
        ("84050399", "84050399"),  # a village
        ("53030600", "530306"),
    ],
)
def test_codes_lose_their_padding(text: str, expected: str) -> None:
    assert parse_ccaatt_code(text) == expected


NOT_EIGHT_DIGITS = ("", "1000000", "100000000", "1000000a", "84 50300", "๘๔๐๕๐๓๐๐")
ZERO_ABOVE_NON_ZERO = ("00000000", "10000100", "10000001", "00010000")


@pytest.mark.parametrize("text", NOT_EIGHT_DIGITS)
def test_codes_must_be_eight_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError, match="not an 8-digit CCAATTMM code"):
        parse_ccaatt_code(text)


@pytest.mark.parametrize("text", ZERO_ABOVE_NON_ZERO)
def test_padding_only_at_the_end(text: str) -> None:
    with pytest.raises(ValueError, match="part 00 above a non-zero part"):
        parse_ccaatt_code(text)


@pytest.mark.parametrize(
    ("code", "name", "stored"),
    [
        ("84", "จังหวัดสุราษฎร์ธานี", "สุราษฎร์ธานี"),
        ("8405", "อำเภอ เกาะพะงัน", "เกาะพะงัน"),
        ("3423", "กิ่งอำเภอลืออำนาจ", "ลืออำนาจ"),
        ("840503", "ตำบลเกาะเต่า", "เกาะเต่า"),
        ("100101", "แขวงพระบรมมหาราชวัง", "พระบรมมหาราชวัง"),
        ("1001", "เขตพระนคร", "เขตพระนคร"),
        ("1001", "พระนคร", "เขตพระนคร"),
        ("850406", "จ.ป.ร.", "จ.ป.ร."),
        ("840503", "เขตเกาะเต่า", "เขตเกาะเต่า"),  # "เขต" is a level word for districts only
        ("84", "  สุราษฎร์ธานี ", "สุราษฎร์ธานี"),
        ("840503", "ตำบล", ""),
    ],
)
def test_names_are_stored_like_the_registry_rows(code: str, name: str, stored: str) -> None:
    assert registry_name(code, name) == stored


def test_rows_become_area_records() -> None:
    report = parse(ccaatt_file(*SURAT_THANI, "84050400,ตำบลเกาะใหม่,01/10/2567"))

    assert report.ok
    assert report.data.source == SOURCE_NAME
    assert report.data.source_version == "2025-01"
    assert report.data.areas == (
        AreaRecord("84", Level.PROVINCE, "สุราษฎร์ธานี", None, Status.ACTIVE, None),
        AreaRecord("8405", Level.DISTRICT, "เกาะพะงัน", None, Status.ACTIVE, "84"),
        AreaRecord("840503", Level.SUBDISTRICT, "เกาะเต่า", None, Status.ACTIVE, "8405"),
        AreaRecord(
            "840504",
            Level.SUBDISTRICT,
            "เกาะใหม่",
            None,
            Status.ABOLISHED,
            "8405",
            abolished_on=dt.date(2024, 10, 1),
        ),
    )


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("code,name_th,retired_on", "{code},{name},"),
        ("รหัส,ชื่อ,วันที่ยกเลิก", "{code},{name},"),
        ("CCAATTMM,Name_TH,RETIRED_ON", "{code},{name},"),
        ("retired_on,code,name_th", ",{code},{name}"),
        ("code,name_th,name_en,retired_on", "{code},{name},,"),
        ("code,name_th,retired_on,remark", "{code},{name},,ok"),
        (None, "{code},{name},"),
    ],
)
def test_header_variants_are_read_alike(header: str | None, row: str) -> None:
    rows = [row.format(code=code, name=name) for code, name in PLAIN_SURAT_THANI]
    report = parse(ccaatt_file(*rows, header=header))

    assert report.ok, report.summary()
    assert [(a.code, a.name_th) for a in report.data.areas] == EXPECTED_SURAT_THANI


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "tis-620"])
@pytest.mark.parametrize("header", [HEADER, "รหัส,ชื่อ,วันที่ยกเลิก", None])
def test_encodings(encoding: str, header: str | None) -> None:
    report = parse(ccaatt_file(*SURAT_THANI, header=header, encoding=encoding))

    assert report.ok, report.summary()
    assert [(a.code, a.name_th) for a in report.data.areas] == EXPECTED_SURAT_THANI


def test_english_names_come_from_a_name_en_column() -> None:
    data = ccaatt_file("84000000,สุราษฎร์ธานี,Surat Thani,", header="code,name_th,name_en,retired_on")

    assert parse(data).data.areas[0].name_en == "Surat Thani"


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"", "no rows"),
        (b"\r\n \r\n", "no rows"),
        (ccaatt_file(), "no province, district or subdistrict"),
        (ccaatt_file("84050301,หมู่ 1,"), "no province, district or subdistrict"),
        (b"84000000,\xdb\xdc\xfe,\n", "neither UTF-8 nor TIS-620"),
        (ccaatt_file(*SURAT_THANI, header="code,name_th"), "no column for retired_on"),
        (b"84000000,a\x00b,\n", "NUL bytes"),
        ("code,name_th,retired_on".encode("utf-16"), "NUL bytes"),
        (b'84000000,"' + b"x" * 200_000 + b'",\n', "not a CSV file"),
    ],
)
def test_unreadable_files_are_one_problem(data: bytes, detail: str) -> None:
    report = parse(data)

    assert problems(report) == [(0, ProblemKind.BAD_FILE)]
    assert detail in str(report.problems[0])
    assert report.data.areas == ()


def test_every_bad_row_is_reported_with_its_row_number() -> None:
    report = parse(
        ccaatt_file(
            "84000000,สุราษฎร์ธานี,",  # row 2
            "8405000,เกาะพะงัน,",  # 3: seven digits
            "84050300,เกาะเต่า,",  # 4: its district is on no row
            "84000000,สุราษฎร์ธานี,",  # 5: again
            "84060000,อำเภอ,",  # 6: nothing but the level word
            "84070000,ไชยา,31/02/2567",  # 7
            "84080000,ท่าชนะ",  # 8: a cell short
            "84070100,ตลาดไชยา,",  # 9: parent on row 7, which is bad but present
            "99010000,ไม่มี,",  # 10: no province 99
            "84070101,หมู่ 1,",  # 11: a village
            "84070102,,garbage",  # 12: a village, not looked at further
        )
    )

    assert not report.ok
    assert problems(report) == [
        (3, ProblemKind.BAD_CODE),
        (4, ProblemKind.UNKNOWN_PARENT),
        (5, ProblemKind.DUPLICATE),
        (6, ProblemKind.EMPTY_NAME),
        (7, ProblemKind.BAD_DATE),
        (8, ProblemKind.BAD_ROW),
        (10, ProblemKind.UNKNOWN_PARENT),
    ]
    assert str(report.problems[2]) == "row 5: duplicate code: 84000000 is already on row 2"
    assert str(report.problems[1]) == "row 4: unknown parent: 840503: no district 8405"
    assert report.rows == 11
    assert report.villages_skipped == 2


def test_parents_may_come_after_their_children_or_from_the_registry() -> None:
    data = ccaatt_file("84050300,เกาะเต่า,", "84050000,เกาะพะงัน,")

    assert problems(parse(data)) == [(3, ProblemKind.UNKNOWN_PARENT)]
    assert parse(data, known_codes=("84",)).ok


def test_summary_counts_and_lists_problems() -> None:
    rows = [*SURAT_THANI, "84050400,เกาะใหม่,2567-10-01", "84050301,หมู่ 1,"]
    bad = [f"8405{n:02d}0,x," for n in range(25)]

    assert parse(ccaatt_file(*rows)).summary() == (
        "dopa-ccaatt 2025-01: 5 rows, 1 province, 1 district, 2 subdistricts (1 retired),"
        " 1 village skipped\nno problems"
    )
    lines = parse(ccaatt_file(*rows, *bad)).summary().splitlines()
    assert lines[1] == "25 problems"
    assert lines[2] == "  row 7: bad code: '8405000' is not an 8-digit CCAATTMM code"
    assert lines[-1] == "  ... and 5 more"
    assert len(lines) == 2 + 20 + 1


async def table_rows(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every registry table."""
    async with engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(row) for row in await connection.execute(select(table))), key=repr
            )
            for table in Base.metadata.sorted_tables
        }


async def area_rows(engine: AsyncEngine) -> dict[str, dict[str, Any]]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(Area.__table__))
        return {row.code: dict(row._mapping) for row in rows}


UNCHANGED = (
    "10000000,กรุงเทพมหานคร,",
    "10010000,พระนคร,",  # stored as "เขตพระนคร"
    "10010100,แขวงพระบรมมหาราชวัง,",
    "34230000,กิ่งอำเภอลืออำนาจ,2549-01-01",  # stored with its level word: kept so
    "53030600,ท่าแฝก,11/03/2558",  # abolished, with a successor link
    "84050100,ตำบลเกาะพะงัน,",
)
RETIRE_AND_RENAME = (
    *UNCHANGED,
    "84050300,เกาะเต่า,01/10/2567",
    "50010100,ตำบลศรีภูมิใหม่,",
)


async def test_import_changes_exactly_the_rows_the_file_changes(loaded_engine: AsyncEngine) -> None:
    before, tables_before = await area_rows(loaded_engine), await table_rows(loaded_engine)

    outcome = await import_ccaatt(
        loaded_engine, ccaatt_file(*RETIRE_AND_RENAME), source_version="v1"
    )

    assert outcome.load is not None
    assert outcome.written, outcome.summary()
    after = await area_rows(loaded_engine)
    assert {code for code in after if after[code] != before[code]} == {"840503", "500101"}
    release = outcome.load.release.id
    assert after["840503"] == {
        **before["840503"],
        "status": "ABOLISHED",
        "abolished_on": dt.date(2024, 10, 1),
        "changed_in_release": release,
    }
    assert after["500101"] == {
        **before["500101"],
        "name_th": "ศรีภูมิใหม่",
        "changed_in_release": release,
    }
    tables_after = await table_rows(loaded_engine)  # postal codes, successors: all kept
    for table in ("postal_codes", "code_history", "crosswalks"):
        assert tables_after[table] == tables_before[table]


async def test_importing_the_same_file_twice_makes_one_release(loaded_engine: AsyncEngine) -> None:
    data = ccaatt_file(*RETIRE_AND_RENAME)

    first = await import_ccaatt(loaded_engine, data, source_version="v1")
    second = await import_ccaatt(loaded_engine, data, source_version="v1")

    assert first.written
    assert not second.written
    assert second.load is not None
    assert first.load is not None
    assert second.load.release == first.load.release
    async with loaded_engine.connect() as connection:
        sources = (await connection.execute(select(RegistryRelease.source))).scalars().all()
    assert sources == ["geothai", SOURCE_NAME]
    assert "stays current" in second.summary()


async def test_new_codes_are_added_under_parents_the_registry_knows(
    loaded_engine: AsyncEngine, geothai_data: RegistryData
) -> None:
    data = ccaatt_file("84059900,เกาะใหม่,", "84990000,อำเภอทะเลใต้,", "84990100,ตำบลหาดยาว,")

    outcome = await import_ccaatt(loaded_engine, data, source_version="v2")

    assert outcome.load is not None
    assert outcome.load.inserted == 3
    snapshot = await read_snapshot(loaded_engine)
    assert snapshot is not None
    assert snapshot.areas["840599"] == AreaRecord(
        "840599", Level.SUBDISTRICT, "เกาะใหม่", None, Status.ACTIVE, "8405"
    )
    assert snapshot.areas["849901"].parent_code == "8499"
    assert len(snapshot.areas) == len(geothai_data.areas) + 3


@pytest.mark.parametrize(
    "bad_row",
    [
        "8405030,เกาะเต่า,",
        "99010000,ไม่มีจังหวัด,",
        "84050200,บ้านใต้,31/31/2567",
        "84050300,เกาะเต่า,",  # already above
        "84050200,,",
    ],
)
async def test_a_file_with_one_bad_row_writes_nothing(
    loaded_engine: AsyncEngine, bad_row: str
) -> None:
    before, release = await table_rows(loaded_engine), await latest_release(loaded_engine)

    outcome = await import_ccaatt(
        loaded_engine, ccaatt_file(*RETIRE_AND_RENAME, bad_row), source_version="v1"
    )

    assert outcome.load is None
    assert not outcome.report.ok
    assert [problem.row for problem in outcome.report.problems] == [len(RETIRE_AND_RENAME) + 2]
    assert "nothing written" in outcome.summary()
    assert await table_rows(loaded_engine) == before
    assert await latest_release(loaded_engine) == release


async def test_an_empty_registry_takes_a_whole_file(engine: AsyncEngine) -> None:
    outcome = await import_ccaatt(engine, ccaatt_file(*SURAT_THANI), source_version="v1")

    assert outcome.written
    assert outcome.load is not None
    assert outcome.load.release.subdistricts == 1
    orphan = await import_ccaatt(engine, ccaatt_file("50010000,เมืองเชียงใหม่,"), source_version="v2")
    assert problems(orphan.report) == [(2, ProblemKind.UNKNOWN_PARENT)]
