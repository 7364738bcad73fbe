"""The ``moi-gateway`` command, run as a user would (click's runner, a SQLite file per test)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from central_codes.database import create_engine
from central_codes.snapshot import read_overrides
from central_codes.suppliers import SupplierOverride
from gateway.cli import main


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("GATEWAY_DATABASE_URL", f"sqlite:///{tmp_path / 'registry.sqlite3'}")
    return CliRunner()


def test_registry_load_makes_one_release_then_none(run: CliRunner) -> None:
    first = run.invoke(main, ["registry", "load"])
    assert first.exit_code == 0, first.output
    assert "made release" in first.stdout
    assert "77 provinces, 928 districts, 7436 subdistricts, 1583 abolished codes" in first.stdout
    again = run.invoke(main, ["registry", "load"])
    assert again.exit_code == 0
    assert "unchanged" in again.stdout


def test_registry_info_on_an_empty_database_says_what_to_do(run: CliRunner) -> None:
    result = run.invoke(main, ["registry", "info"])
    assert result.exit_code == 1
    assert "registry load" in result.stderr


def test_registry_export_writes_every_code_as_csv_with_bom(run: CliRunner, tmp_path: Path) -> None:
    run.invoke(main, ["registry", "load"])
    target = tmp_path / "areas.csv"
    result = run.invoke(main, ["registry", "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read the Thai as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 77 + 928 + 7436 + 1583
    koh_tao = next(r for r in rows if r["code"] == "840503")
    assert (koh_tao["name_th"], koh_tao["postal_codes"]) == ("เกาะเต่า", "84360")
    bang_na = next(r for r in rows if r["code"] == "104701")
    assert (bang_na["status"], bang_na["successors"]) == ("ABOLISHED", "104702 104703")


def test_registry_export_json_to_stdout(run: CliRunner) -> None:
    run.invoke(main, ["registry", "load"])
    result = run.invoke(main, ["registry", "export", "--format", "json"])
    assert result.exit_code == 0
    areas = json.loads(result.stdout)
    assert {a["level"] for a in areas} == {"province", "district", "subdistrict"}


def test_schema_prints_the_sdl(run: CliRunner) -> None:
    result = run.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert "interface Area" in result.stdout
    assert "resolveCode(code: ID!): CodeResolution!" in result.stdout


def test_schema_federation_prints_the_subgraph_sdl(run: CliRunner) -> None:
    result = run.invoke(main, ["schema", "--federation"])
    assert result.exit_code == 0
    assert '@link(url: "https://specs.apollo.dev/federation/v2.7"' in result.stdout
    assert 'type Subdistrict implements Area @key(fields: "code")' in result.stdout
    assert "_entities" not in result.stdout  # a router adds its own plumbing


def test_an_unknown_setting_is_refused_by_name(
    run: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWAY_DATABSE_URL", "sqlite:///typo.sqlite3")
    result = run.invoke(main, ["registry", "info"])
    assert result.exit_code == 2
    assert "GATEWAY_DATABSE_URL" in result.output


def test_registry_suppliers_import_reports_bad_rows_and_writes_nothing(
    run: CliRunner, tmp_path: Path
) -> None:
    run.invoke(main, ["registry", "load"])
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "area_code,kind,supplier,source,as_of\n"
        "130101,water,MWA,สำรวจพื้นที่บริการ กปน.,2024-05-01\n"
        "130102,water,MEA,survey,2024-05-01\n",
        encoding="cp874",  # TIS-620, as Thai spreadsheets often save
    )
    rejected = run.invoke(main, ["registry", "suppliers-import", str(bad)])
    assert rejected.exit_code == 1
    assert "line 3: 'MEA' does not supply water" in rejected.stderr
    assert "nothing was written" in rejected.stderr
    assert _overrides(tmp_path) == []


def test_registry_suppliers_import_writes_good_rows(run: CliRunner, tmp_path: Path) -> None:
    run.invoke(main, ["registry", "load"])
    good = tmp_path / "good.csv"
    good.write_text(
        "\ufeffarea_code,kind,supplier,source,as_of\n130101,water,MWA,สำรวจ กปน.,2024-05-01\n",
        encoding="utf-8",
    )
    result = run.invoke(main, ["registry", "suppliers-import", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 overrides imported" in result.stdout
    [row] = _overrides(tmp_path)
    assert (row.area_code, row.supplier, row.source) == ("130101", "MWA", "สำรวจ กปน.")
    binary = tmp_path / "sheet.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    refused = run.invoke(main, ["registry", "suppliers-import", str(binary)])
    assert refused.exit_code == 1
    assert "NUL bytes" in refused.stderr


def _overrides(tmp_path: Path) -> list[SupplierOverride]:
    async def read() -> list[SupplierOverride]:
        engine = create_engine(f"sqlite:///{tmp_path / 'registry.sqlite3'}")
        try:
            return await read_overrides(engine)
        finally:
            await engine.dispose()

    return asyncio.run(read())
