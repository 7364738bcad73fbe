"""Where sealed audit rows go: multi-row INSERTs, written on the event loop itself on SQLite.

On SQLite the async driver runs every statement in a thread of its own, and under load that
thread and the request path keep taking the interpreter lock from each other: in the registry
benchmark a row written that way cost the server two to three times the CPU of the same row
written in the loop. So on a SQLite file the rows go through a synchronous engine of their own,
in the loop (a batch of 500 rows takes a few milliseconds). That engine never waits for a lock:
when another writer holds the database, the batch goes through the async engine instead, which
waits in its thread. Its connections commit without waiting for the disk (``synchronous=
NORMAL`` in WAL mode: a power cut may lose the last commits, a crash of the process may not);
the trail already accepts losing what it has not yet written. Any other database (PostgreSQL)
is written through the async engine, whose driver runs in the loop.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.audit.record import COLUMNS

__all__ = ["AuditStore"]


class AuditStore:
    """Inserts sealed rows (tuples in :data:`COLUMNS` order) into ``audit_records``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._inserts = _Inserts(engine.dialect.paramstyle, _rows_per_insert(engine.dialect.name))
        self._in_loop = _in_loop_engine(engine)

    async def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert ``rows`` in one transaction; raises when the database refuses them."""
        if self._in_loop is not None and self._insert_in_loop(self._in_loop, rows):
            return
        async with self._engine.begin() as connection:
            for statement, values in self._inserts.of(rows):
                await connection.exec_driver_sql(statement, values)

    def _insert_in_loop(self, engine: Engine, rows: list[tuple[Any, ...]]) -> bool:
        """True when written; False when another writer holds the database right now."""
        try:
            with engine.begin() as connection:
                for statement, values in self._inserts.of(rows):
                    connection.exec_driver_sql(statement, values)
        except OperationalError as error:
            if isinstance(error.orig, sqlite3.OperationalError) and "locked" in str(error.orig):
                return False
            raise
        return True

    def close(self) -> None:
        """Close the in-loop engine's connection, if there is one."""
        if self._in_loop is not None:
            self._in_loop.dispose()


def _in_loop_engine(engine: AsyncEngine) -> Engine | None:
    """A synchronous engine on the same SQLite file, or None (another database, or memory)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    # timeout=0: never wait for another writer's lock (that writer may need this loop to finish)
    synchronous = create_sync_engine(url.set(drivername="sqlite"), connect_args={"timeout": 0})
    event.listen(synchronous, "connect", _no_waiting_for_the_disk)
    return synchronous


def _no_waiting_for_the_disk(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class _Inserts:
    """Multi-row INSERTs of up to ``rows_per_insert`` rows, in the driver's parameter style.

    One statement per many rows, not ``executemany``: SQLite's driver lets go of the
    interpreter lock around every row's step, and under load the request path and the driver's
    thread would trade the lock hundreds of times a batch. A batch is cut into statements of
    ``rows_per_insert`` rows and then of powers of two (a batch of 523: 500, 16, 4, 2, 1), so
    there are only a few statement sizes, each made once and then found in the driver's
    statement cache instead of being parsed again for every batch's odd remainder.
    """

    def __init__(self, paramstyle: str, rows_per_insert: int) -> None:
        self._paramstyle, self._rows_per_insert = paramstyle, rows_per_insert
        self._texts: dict[int, str] = {}

    def of(self, rows: list[tuple[Any, ...]]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """Each statement with its flat parameters, covering ``rows`` in order."""
        start = 0
        for size in _sizes(len(rows), self._rows_per_insert):
            chunk = rows[start : start + size]
            start += size
            yield self._text(size), tuple(itertools.chain.from_iterable(chunk))

    def _text(self, rows: int) -> str:
        text = self._texts.get(rows)
        if text is None:
            text = self._texts[rows] = _insert_sql(self._paramstyle, rows)
        return text


def _sizes(count: int, most: int) -> Iterator[int]:
    """``count`` rows as statements of ``most`` rows, then of decreasing powers of two."""
    yield from (most for _ in range(count // most))
    rest = count % most
    while rest:
        size = 1 << (rest.bit_length() - 1)
        yield size
        rest -= size


def _rows_per_insert(dialect: str) -> int:
    """As many rows as one statement's parameters allow: 500 (7,500 parameters), or 66 on
    SQLite before 3.32, whose limit was 999 parameters a statement."""
    if dialect == "sqlite" and sqlite3.sqlite_version_info < (3, 32, 0):
        return 999 // len(COLUMNS)
    return 500


def _insert_sql(paramstyle: str, rows: int) -> str:
    """The INSERT of ``rows`` rows in the driver's own parameter style."""
    count = len(COLUMNS) * rows
    marks = {
        "qmark": ["?"] * count,
        "numeric_dollar": [f"${n}" for n in range(1, count + 1)],
        "format": ["%s"] * count,
        "numeric": [f":{n}" for n in range(1, count + 1)],
    }[paramstyle]
    width = len(COLUMNS)
    values = ", ".join(
        f"({', '.join(marks[row * width : (row + 1) * width])})" for row in range(rows)
    )
    return f"INSERT INTO audit_records ({', '.join(COLUMNS)}) VALUES {values}"
