"""Where a sealed batch goes on SQLite: in the loop, or, while another writer holds the
database, through the async engine, which waits for it without holding up the loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from central_codes.database import create_engine, migrate
from gateway.audit import AuditRow, AuditTrail, verify_trail
from gateway.audit.store import _sizes
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


async def test_batches_of_any_size_are_written_whole_and_in_order(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'gateway.sqlite3'}")
    await migrate(engine)
    trail = AuditTrail(engine, chain="a")
    sizes = [1, 2, 3, 7, 255, 499, 500, 501, 523, 1001]
    try:
        n = 0
        for size in sizes:
            for _ in range(size):
                trail.add(_entry(n))
                n += 1
            await trail.flush()
        async with engine.connect() as connection:
            seqs = (await connection.scalars(select(AuditRow.seq).order_by(AuditRow.id))).all()
        assert seqs == list(range(1, sum(sizes) + 1))
        assert (await verify_trail(engine)).broken is None
    finally:
        await trail.close()
        await engine.dispose()


def test_a_batch_is_cut_into_few_statement_sizes() -> None:
    """Full statements, then powers of two: every size a statement can have is one of a few,
    so each is parsed once and then found in the driver's statement cache."""
    seen: set[int] = set()
    for count in range(0, 2000):
        sizes = list(_sizes(count, 500))
        assert sum(sizes) == count
        assert sizes == sorted(sizes, reverse=True)
        seen.update(sizes)
    assert seen == {500, 256, 128, 64, 32, 16, 8, 4, 2, 1}
