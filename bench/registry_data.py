"""The registry every benchmark reads: one SQLite file loaded from geothai, and its snapshot."""

from __future__ import annotations

from pathlib import Path

from central_codes.database import create_engine, migrate
from central_codes.loading import load_registry
from central_codes.snapshot import Snapshot, read_snapshot
from central_codes.sources.geothai_package import read_geothai

__all__ = ["SMALL_QUERY", "TREE_QUERY", "prepare_registry", "snapshot_of"]

SMALL_QUERY = (
    '{ subdistrict(code:"840503"){ code nameTh district { nameTh province { nameEn } } } }'
)
TREE_QUERY = "{ provinces { districts { subdistricts { code nameTh nameEn postalCodes } } } }"


async def prepare_registry(directory: Path) -> str:
    """A SQLite database in ``directory`` holding the geothai registry; returns its URL."""
    url = f"sqlite:///{directory / 'registry.sqlite3'}"
    engine = create_engine(url)
    try:
        await migrate(engine)
        await load_registry(engine, read_geothai())
    finally:
        await engine.dispose()
    return url


async def snapshot_of(database_url: str) -> Snapshot:
    """The newest release in the database, as the gateway would serve it."""
    engine = create_engine(database_url)
    try:
        snapshot = await read_snapshot(engine)
    finally:
        await engine.dispose()
    if snapshot is None:
        raise LookupError(f"no registry release in {database_url}")
    return snapshot
