"""The batch writer and the chain: records written off the request path, verified, tampering found."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from graphql import parse
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.audit import GENESIS, AuditEntry, AuditRecord, AuditRow, AuditTrail, verify_trail


def _entry(n: int) -> AuditEntry:
    query = f'query Q{n} {{ subdistrict(code: "840503") {{ nameTh }} }}'
    return AuditEntry(
        at_us=1_700_000_000_000_000 + n * 1_000_001,
        request_id=f"req-{n}",
        principal="anonymous",
        tier="public",
        operation_name=f"Q{n}",
        query=query,
        document=parse(query),
        variables=None,
        connectors=(("dopa_stat", "ok"),),
        status=200,
        duration_us=1500 + n,
    )


async def _rows(engine: AsyncEngine) -> list[AuditRecord]:
    async with engine.connect() as connection:
        result = await connection.execute(select(AuditRow.__table__).order_by(AuditRow.id))
        return [AuditRecord.from_row(row) for row in result.mappings()]


async def test_records_wait_for_the_batch_then_chain(engine: AsyncEngine) -> None:
    trail = AuditTrail(engine, chain="a")
    for n in range(3):
        trail.add(_entry(n))
    assert await _rows(engine) == []  # adding never writes
    await trail.flush()
    rows = await _rows(engine)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert rows[0].root_fields == ("subdistrict",)
    assert rows[0].area_codes == ("840503",)
    assert rows[0].connectors == (("dopa_stat", "ok"),)
    assert all(r.intact for r in rows)
    verification = await verify_trail(engine)
    assert (verification.records, verification.chains, verification.broken) == (3, 1, None)


async def test_a_record_keeps_its_time_as_iso_8601_utc_to_the_microsecond(
    engine: AsyncEngine,
) -> None:
    trail = AuditTrail(engine, chain="a")
    entries = [_entry(n) for n in range(3)]
    entries[2].at_us = 1_700_000_039_999_999  # the last microsecond of a minute
    for entry in entries:
        trail.add(entry)
    await trail.flush()
    written = [r.at for r in await _rows(engine)]
    assert written == [
        "2023-11-14T22:13:20.000000+00:00",
        "2023-11-14T22:13:21.000001+00:00",
        "2023-11-14T22:13:59.999999+00:00",
    ]
    for entry, at in zip(entries, written, strict=True):
        seconds, micros = divmod(entry.at_us, 1_000_000)
        as_datetime = dt.datetime.fromtimestamp(seconds, dt.UTC).replace(microsecond=micros)
        assert at == as_datetime.isoformat(timespec="microseconds")


async def test_a_batch_larger_than_one_insert_is_written_whole_and_in_order(
    engine: AsyncEngine,
) -> None:
    trail = AuditTrail(engine, chain="a", batch_size=10_000)
    for n in range(1_234):  # several multi-row statements, the last one short
        trail.add(_entry(n))
    await trail.flush()
    rows = await _rows(engine)
    assert [r.seq for r in rows] == list(range(1, 1_235))
    assert [r.request_id for r in rows] == [f"req-{n}" for n in range(1_234)]
    assert rows[-1].duration_us == 1500 + 1_233
    verification = await verify_trail(engine)
    assert (verification.records, verification.broken) == (1_234, None)


async def test_the_background_task_writes_a_full_batch_and_close_writes_the_rest(
    engine: AsyncEngine,
) -> None:
    trail = AuditTrail(engine, chain="a", batch_size=2, flush_seconds=3600)
    trail.start()
    for n in range(2):
        trail.add(_entry(n))
    for _ in range(100):  # the batch of two is written without waiting for the interval
        if len(await _rows(engine)) == 2:
            break
        await asyncio.sleep(0.01)
    trail.add(_entry(2))
    assert len(await _rows(engine)) == 2
    await trail.close()
    assert len(await _rows(engine)) == 3


async def test_two_instances_append_their_own_chains(engine: AsyncEngine) -> None:
    first, second = AuditTrail(engine), AuditTrail(engine)
    for n in range(4):
        (first if n % 2 else second).add(_entry(n))
        await first.flush()
        await second.flush()
    verification = await verify_trail(engine)
    assert (verification.records, verification.chains, verification.broken) == (4, 2, None)


@pytest.mark.parametrize(
    ("tamper", "broken_seq", "reason", "good"),
    [
        (update(AuditRow).where(AuditRow.seq == 2).values(status=403), 2, "was changed", 1),
        (update(AuditRow).where(AuditRow.seq == 2).values(area_codes='["10"]'), 2, "changed", 1),
        (delete(AuditRow).where(AuditRow.seq == 2), 3, "missing", 1),
        (update(AuditRow).where(AuditRow.seq == 3).values(prev_hash=GENESIS), 3, "prev_hash", 2),
    ],
)
async def test_verify_names_the_first_broken_link(
    engine: AsyncEngine, tamper: object, broken_seq: int, reason: str, good: int
) -> None:
    trail = AuditTrail(engine, chain="a")
    for n in range(4):
        trail.add(_entry(n))
    await trail.flush()
    async with engine.begin() as connection:
        await connection.execute(tamper)  # type: ignore[call-overload]
    verification = await verify_trail(engine)
    assert verification.broken is not None
    assert verification.broken.seq == broken_seq
    assert reason in verification.broken.reason
    assert verification.records == good


async def test_a_failed_write_is_kept_for_the_next(engine: AsyncEngine) -> None:
    trail = AuditTrail(engine, chain="a")
    trail.add(_entry(0))
    await trail.flush()
    trail.add(_entry(1))
    async with engine.begin() as connection:  # the next record's seq is taken: its insert fails
        await connection.execute(update(AuditRow).where(AuditRow.seq == 1).values(seq=2))
    await trail.flush()
    async with engine.begin() as connection:
        await connection.execute(update(AuditRow).where(AuditRow.seq == 2).values(seq=1))
    await trail.flush()
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(AuditRow)) == 2
    assert (await verify_trail(engine)).broken is None


async def test_writes_that_overlap_insert_each_record_once(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    trail = AuditTrail(engine, chain="a")
    for n in range(3):
        trail.add(_entry(n))
    await asyncio.gather(trail.flush(), trail.flush())  # the shutdown's flush meets the task's
    trail.add(_entry(3))
    await trail.flush()
    assert [r.seq for r in await _rows(engine)] == [1, 2, 3, 4]
    assert (await verify_trail(engine)).broken is None
    assert not [r for r in caplog.records if r.name == "gateway.audit"]  # no insert failed
