"""What ``moi-gateway registry ...`` does, with progress shown on the terminal."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import AsyncIterator, Iterator
from typing import TextIO

import click
import orjson
from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.database import create_engine, migrate
from central_codes.export import EXPORT_COLUMNS, area_rows, csv_cells
from central_codes.loading import latest_release, load_registry
from central_codes.records import ReleaseInfo
from central_codes.snapshot import read_snapshot
from central_codes.sources.geothai_package import read_geothai
from gateway.settings import Settings

__all__ = ["EXPORT_COLUMNS", "export", "import_codes", "info", "load"]


@contextlib.asynccontextmanager
async def _engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        yield engine
    finally:
        await engine.dispose()


class _Bar:
    """A progress bar on standard error that follows a loader's (step, done, total) reports."""

    def __init__(self) -> None:
        self._shown = 0

    def __call__(self, step: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        click.echo(
            f"\r{step:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            nl=False,
            err=True,
        )
        if done >= total:
            click.echo(err=True)


def _describe(release: ReleaseInfo) -> str:
    return (
        f"release {release.version} from {release.source} {release.source_version}, "
        f"loaded {release.loaded_at:%Y-%m-%d %H:%M UTC}: {release.provinces} provinces, "
        f"{release.districts} districts, {release.subdistricts} subdistricts, "
        f"{release.abolished} abolished codes"
    )


async def load(settings: Settings) -> int:
    """Load geothai's codes; prints what happened."""
    async with _engine(settings) as engine:
        result = await load_registry(engine, read_geothai(), progress=_Bar())
    verb = "made" if result.created else "unchanged, still"
    click.echo(f"{verb} {_describe(result.release)}")
    if result.created:
        click.echo(f"{result.inserted} codes added, {result.updated} changed")
    return 0


async def import_codes(settings: Settings, content: bytes, source_version: str) -> int:
    """Import a CCAATT file; prints the validation report. Exit status 1 when rejected."""
    from central_codes.sources.ccaatt import import_ccaatt

    async with _engine(settings) as engine:
        outcome = await import_ccaatt(
            engine, content, source_version=source_version, progress=_Bar()
        )
    click.echo(outcome.summary())
    if not outcome.report.ok:
        return 1
    if outcome.load is not None:
        click.echo(_describe(outcome.load.release))
    return 0


async def import_suppliers(settings: Settings, content: bytes) -> int:
    """Import supplier overrides (CSV); prints each bad row. Exit status 1 when rejected."""
    from central_codes.sources.ccaatt_format import FormatError, decode_text
    from central_codes.supplier_import import import_supplier_overrides

    try:
        text = decode_text(content)
    except FormatError as error:
        click.echo(f"rejected: {error}; nothing was written", err=True)
        return 1
    async with _engine(settings) as engine:
        result = await import_supplier_overrides(engine, text)
    if not result.ok:
        for message in result.errors:
            click.echo(message, err=True)
        click.echo(f"rejected: {len(result.errors)} bad rows; nothing was written", err=True)
        return 1
    click.echo(
        f"{len(result.rows)} overrides imported; a running gateway serves them after its next"
        " registry poll"
    )
    return 0


async def info(settings: Settings) -> int:
    """Print the newest release."""
    async with _engine(settings) as engine:
        release = await latest_release(engine)
    if release is None:
        click.echo("the registry is empty: run `moi-gateway registry load`", err=True)
        return 1
    click.echo(_describe(release))
    return 0


async def export(settings: Settings, fmt: str, output: str) -> int:
    """Write every area as CSV (UTF-8 with BOM) or JSON."""
    async with _engine(settings) as engine:
        snapshot = await read_snapshot(engine)
    if snapshot is None:
        click.echo("the registry is empty: run `moi-gateway registry load`", err=True)
        return 1
    rows = list(area_rows(snapshot))
    with _open(output, fmt) as stream:
        if fmt == "json":
            stream.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        else:
            writer = csv.DictWriter(stream, fieldnames=EXPORT_COLUMNS)
            writer.writeheader()
            writer.writerows(csv_cells(row) for row in rows)
    click.echo(f"{len(rows)} areas written", err=True)
    return 0


@contextlib.contextmanager
def _open(output: str, fmt: str) -> Iterator[TextIO]:
    if output == "-":
        buffer = io.StringIO(newline="")
        yield buffer
        click.echo(buffer.getvalue(), nl=False)
        return
    with open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as f:
        yield f
