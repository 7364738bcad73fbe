"""Loading the geothai registry: counts, idempotence, and the same on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.loading import latest_release, load_registry
from central_codes.models import Area, CodeHistory, Crosswalk, RegistryRelease
from central_codes.records import RegistryData, Status
from central_codes.snapshot import read_snapshot


async def _count(engine: AsyncEngine, table: type) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(table)) or 0)


async def test_first_load_counts_every_code(
    engine: AsyncEngine, geothai_data: RegistryData
) -> None:
    result = await load_registry(engine, geothai_data)
    assert result.created
    release = result.release
    assert (release.provinces, release.districts, release.subdistricts) == (77, 928, 7436)
    assert release.abolished == 1583
    assert await _count(engine, Area) == 77 + 928 + 7436 + 1583
    # TH-10 ... TH-96 and TH-S, and a DOL district code for each active district
    assert await _count(engine, Crosswalk) == 78 + 928


async def test_loading_the_same_data_again_makes_no_release(
    engine: AsyncEngine, geothai_data: RegistryData
) -> None:
    first = await load_registry(engine, geothai_data)
    again = await load_registry(engine, geothai_data)
    assert not again.created
    assert again.release == first.release
    assert await _count(engine, RegistryRelease) == 1


async def test_a_changed_name_makes_a_new_release_changing_one_row(
    engine: AsyncEngine, geothai_data: RegistryData
) -> None:
    await load_registry(engine, geothai_data)
    renamed = tuple(
        dataclasses.replace(a, name_en="Koh Tao") if a.code == "840503" else a
        for a in geothai_data.areas
    )
    result = await load_registry(engine, dataclasses.replace(geothai_data, areas=renamed))
    assert result.created
    assert (result.inserted, result.updated) == (0, 1)
    snapshot = await read_snapshot(engine)
    assert snapshot is not None
    assert snapshot.release.id == result.release.id
    assert snapshot.areas["840503"].name_en == "Koh Tao"
    assert snapshot.areas["840503"].postal_codes == ("84360",)


async def test_history_survives_the_round_trip(loaded_engine: AsyncEngine) -> None:
    snapshot = await read_snapshot(loaded_engine)
    assert snapshot is not None
    assert snapshot.areas["104701"].status is Status.ABOLISHED
    assert {k.successor_code for k in snapshot.successors["104701"]} == {"104702", "104703"}
    assert await _count(loaded_engine, CodeHistory) == len(snapshot.links)


async def test_empty_database_has_no_release(engine: AsyncEngine) -> None:
    assert await latest_release(engine) is None
    assert await read_snapshot(engine) is None
