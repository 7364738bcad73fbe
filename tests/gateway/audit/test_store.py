"""Where a sealed batch goes on SQLite: in the loop, or, while another writer holds the
database, through the async engine, which waits for it without holding up the loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from central_codes.database import create_engine, migrate
from gateway.audit import AuditRow, AuditTrail, verify_trail
from tests.gateway.audit.test_trail import _entry


async def test_a_batch_waits_for_another_writer_without_holding_up_the_loop(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'gateway.sqlite3'}")
    await migrate(engine)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
    trail = AuditTrail(engine, chain="a")
    for n in range(3):
        trail.add(_entry(n))
    try:
        async with engine.connect() as holder:
            await holder.exec_driver_sql("INSERT INTO scratch VALUES (1)")  # holds the lock
            flushing = asyncio.create_task(trail.flush())
            await asyncio.sleep(0.3)  # the loop runs on meanwhile
            assert not flushing.done()
            await holder.commit()
            await asyncio.wait_for(flushing, 10)
        async with engine.connect() as connection:
            written = await connection.scalar(select(func.count()).select_from(AuditRow))
        assert written == 3
        assert (await verify_trail(engine)).broken is None
    finally:
        await trail.close()
        await engine.dispose()
