"""Write :class:`RegistryData` into the database as a new release, idempotently.

A load compares the content with the newest release made from the same source; when nothing
changed it writes nothing. Otherwise, in one transaction, it records a release, inserts new
codes, updates changed ones (codes are never deleted), and replaces that content's postal
codes, successor links and crosswalks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from central_codes.codes import Level
from central_codes.models import Area, CodeHistory, Crosswalk, PostalCode, RegistryRelease
from central_codes.records import AreaRecord, RegistryData, ReleaseInfo, Status

__all__ = ["LoadResult", "Progress", "latest_release", "load_registry"]

Progress = Callable[[str, int, int], None]
_BATCH = 1000


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What a load did: the release now current, and whether this load made it."""

    release: ReleaseInfo
    created: bool
    inserted: int = 0
    updated: int = 0


async def latest_release(engine: AsyncEngine, source: str | None = None) -> ReleaseInfo | None:
    """The newest release (of one source, when given), or None before the first load."""
    query = select(RegistryRelease).order_by(RegistryRelease.id.desc()).limit(1)
    if source is not None:
        query = query.where(RegistryRelease.source == source)
    async with engine.connect() as connection:
        row = (await connection.execute(query)).first()
    return None if row is None else _release_info(row._mapping)


async def load_registry(
    engine: AsyncEngine,
    data: RegistryData,
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Load ``data``; make a new release only when its content changed since the last load."""
    content_hash = data.content_hash()
    previous = await latest_release(engine, data.source)
    if previous is not None and previous.content_hash == content_hash:
        current = await latest_release(engine)
        assert current is not None
        return LoadResult(current, created=False)
    now = now or dt.datetime.now(dt.UTC)
    async with engine.begin() as connection:
        release_id = await _insert_release(connection, data, content_hash, now)
        inserted, updated = await _write_areas(connection, data.areas, release_id, progress)
        await _replace_details(connection, data)
        await _count_release(connection, release_id)
        row = (
            await connection.execute(
                select(RegistryRelease).where(RegistryRelease.id == release_id)
            )
        ).one()
    return LoadResult(_release_info(row._mapping), True, inserted, updated)


async def _insert_release(
    connection: AsyncConnection, data: RegistryData, content_hash: str, now: dt.datetime
) -> int:
    made_today = await connection.scalar(
        select(func.count()).where(RegistryRelease.version.like(f"{now:%Y.%m.%d}.%"))
    )
    result = await connection.execute(
        insert(RegistryRelease).values(
            version=f"{now:%Y.%m.%d}.{(made_today or 0) + 1}",
            source=data.source,
            source_version=data.source_version,
            content_hash=content_hash,
            loaded_at=now,
            provinces=0,
            districts=0,
            subdistricts=0,
            abolished=0,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def _count_release(connection: AsyncConnection, release_id: int) -> None:
    """Record on the release how many codes the registry holds once it is written."""
    counts = {
        (level, status): n
        for level, status, n in await connection.execute(
            select(Area.level, Area.status, func.count()).group_by(Area.level, Area.status)
        )
    }
    active = Status.ACTIVE.value
    await connection.execute(
        update(RegistryRelease)
        .where(RegistryRelease.id == release_id)
        .values(
            provinces=counts.get((Level.PROVINCE.word, active), 0),
            districts=counts.get((Level.DISTRICT.word, active), 0),
            subdistricts=counts.get((Level.SUBDISTRICT.word, active), 0),
            abolished=sum(n for (_, status), n in counts.items() if status != active),
        )
    )


def _row(area: AreaRecord, release_id: int) -> dict[str, Any]:
    return {
        "code": area.code,
        "level": area.level.word,
        "parent_code": area.parent_code,
        "name_th": area.name_th,
        "name_en": area.name_en,
        "status": area.status.value,
        "abolished_on": area.abolished_on,
        "changed_in_release": release_id,
    }


_COMPARED = ("level", "parent_code", "name_th", "name_en", "status", "abolished_on")


async def _write_areas(
    connection: AsyncConnection,
    areas: Sequence[AreaRecord],
    release_id: int,
    progress: Progress | None,
) -> tuple[int, int]:
    existing = {
        row.code: tuple(getattr(row, name) for name in _COMPARED)
        for row in await connection.execute(
            select(Area.code, *(getattr(Area, n) for n in _COMPARED))
        )
    }
    # parents before children, so that every foreign key already points at a row
    ordered = sorted(areas, key=lambda a: (len(a.code), a.code))
    new = [_row(a, release_id) for a in ordered if a.code not in existing]
    changed = [
        _row(a, release_id)
        for a in ordered
        if a.code in existing
        and existing[a.code] != tuple(_row(a, release_id)[n] for n in _COMPARED)
    ]
    total = len(new) + len(changed)
    for start in range(0, len(new), _BATCH):
        await connection.execute(insert(Area), new[start : start + _BATCH])
        _report(progress, "areas", start + len(new[start : start + _BATCH]), total)
    if changed:
        table = Area.__table__
        assert isinstance(table, Table)
        statement = (
            update(table)
            .where(table.c.code == bindparam("key"))
            .values({name: bindparam(name) for name in (*_COMPARED, "changed_in_release")})
        )
        await connection.execute(statement, [{**row, "key": row["code"]} for row in changed])
        _report(progress, "areas", total, total)
    return len(new), len(changed)


def _report(progress: Progress | None, step: str, done: int, total: int) -> None:
    if progress is not None:
        progress(step, done, total)


async def _replace_details(connection: AsyncConnection, data: RegistryData) -> None:
    codes = [a.code for a in data.areas]
    for start in range(0, len(codes), _BATCH):
        chunk = codes[start : start + _BATCH]
        await connection.execute(delete(PostalCode).where(PostalCode.area_code.in_(chunk)))
        await connection.execute(delete(CodeHistory).where(CodeHistory.abolished_code.in_(chunk)))
    postal = [{"area_code": a.code, "postal_code": p} for a in data.areas for p in a.postal_codes]
    if postal:
        await connection.execute(insert(PostalCode), postal)
    if data.links:
        await connection.execute(
            insert(CodeHistory),
            [
                {
                    "abolished_code": k.abolished_code,
                    "successor_code": k.successor_code,
                    "abolished_on": k.abolished_on,
                    "in_force_on": k.in_force_on,
                    "basis": k.basis.value,
                    "source": k.source,
                }
                for k in data.links
            ],
        )
    systems = sorted({c.system for c in data.crosswalks})
    if systems:
        await connection.execute(delete(Crosswalk).where(Crosswalk.system.in_(systems)))
        await connection.execute(
            insert(Crosswalk),
            [
                {
                    "system": c.system,
                    "external_code": c.external_code,
                    "area_code": c.area_code,
                    "source": c.source,
                    "as_of": c.as_of,
                }
                for c in data.crosswalks
            ],
        )


def _release_info(row: Any) -> ReleaseInfo:
    loaded_at = row["loaded_at"]
    if loaded_at.tzinfo is None:  # SQLite keeps no zone; we always write UTC
        loaded_at = loaded_at.replace(tzinfo=dt.UTC)
    return ReleaseInfo(
        id=row["id"],
        version=row["version"],
        source=row["source"],
        source_version=row["source_version"],
        content_hash=row["content_hash"],
        loaded_at=loaded_at,
        provinces=row["provinces"],
        districts=row["districts"],
        subdistricts=row["subdistricts"],
        abolished=row["abolished"],
    )
