"""The batch writer: requests hand over an entry without waiting; a background task seals and
writes them in batches.

Each process appends to a chain of its own (``chain`` = host, process id and a random tag,
new at every start), numbered from 1, so two instances never race for the "previous record":
no lock, no read before write. A request only appends its entry to a list (no task is woken
per request); the task writes every ``flush_seconds``, or as soon as ``batch_size`` entries are
waiting, and :meth:`AuditTrail.close` (the lifespan's shutdown) writes what is left. A failed
write is kept and tried again with the next batch. When ``queue_size`` entries are waiting
(the database is down), new ones are dropped and counted, rather than slowing requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import hashlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import DocumentNode, OperationDefinitionNode
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.access.principal import Principal
from gateway.audit.facts import DocumentFacts, facts_of
from gateway.audit.reader import newest_records
from gateway.audit.record import GENESIS, AuditRecord
from gateway.audit.store import AuditStore
from gateway.execution import LruCache
from gateway.request_scope import RequestScope

__all__ = ["AuditEntry", "AuditTrail"]

log = logging.getLogger("gateway.audit")
_NO_FACTS = DocumentFacts((), (), (), ())


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs the request path 3x
class AuditEntry:
    """What the request path hands over: raw, redacted only when it is sealed into a record."""

    at_us: int  # microseconds since the epoch
    request_id: str
    principal: str
    tier: str
    operation_name: str | None
    query: str
    document: DocumentNode | None
    variables: Mapping[str, Any] | None
    connectors: tuple[tuple[str, str], ...]
    status: int
    duration_us: int

    @classmethod
    def of(
        cls, request_id: str, principal: Principal, trace: RequestScope, status: int, started: float
    ) -> AuditEntry:
        """The entry of a request answered with ``status``, begun at ``started`` (perf_counter)."""
        calls = tuple((c.connector, c.outcome) for c in trace.calls) if trace.calls else ()
        return cls(
            time.time_ns() // 1000,
            request_id,
            principal.id,
            principal.tier.value,
            trace.operation_name,
            trace.query,
            trace.document,
            trace.variables,
            calls,
            status,
            round((time.perf_counter() - started) * 1_000_000),
        )


class AuditTrail:
    """This process's chain of audit records, written in batches off the request path."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        chain: str | None = None,
        batch_size: int = 500,
        flush_seconds: float = 1.0,
        queue_size: int = 100_000,
    ) -> None:
        self._engine = engine
        self.chain = chain or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"
        self._batch_size, self._flush_seconds = batch_size, flush_seconds
        self._queue_size = queue_size
        self._full = asyncio.Event()
        self._seq, self._prev = 0, GENESIS
        self._batch: list[AuditEntry] = []  # waiting to be sealed
        self._unwritten: list[tuple[Any, ...]] = []  # sealed rows, not yet written
        self._writing: asyncio.Future[None] | None = None
        self._one_write = asyncio.Lock()
        self._documents: LruCache[tuple[str, str | None], _Document] = LruCache(1000)
        self._store = AuditStore(engine)
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0

    def add(self, entry: AuditEntry) -> None:
        """Queue one request's entry; never waits."""
        waiting = len(self._batch)
        if waiting >= self._queue_size:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                log.error("audit queue full: %d records dropped so far", self.dropped)
            return
        self._batch.append(entry)
        if waiting + 1 == self._batch_size:
            self._full.set()

    def start(self) -> None:
        """Write in the background from now on."""
        self._task = asyncio.create_task(self._run())

    async def close(self) -> None:
        """Stop the background task and write everything still queued."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._writing is not None:
            await self._writing  # a write the cancellation did not interrupt
        await self.flush()
        self._store.close()

    async def flush(self) -> None:
        """Seal and write every queued entry now."""
        await self._write_batch()

    async def newest(self, last: int) -> list[AuditRecord]:
        """The ``last`` newest records of every instance, this one's queued entries written first."""
        await self.flush()
        return await newest_records(self._engine, last)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._flush_seconds):
                    await self._full.wait()
            self._full.clear()
            await self._write_batch()

    async def _write_batch(self) -> None:
        """Seal the gathered entries and write them; shielded, so shutdown never cuts a write."""
        batch, self._batch = self._batch, []
        self._writing = asyncio.ensure_future(self._write(batch))
        await asyncio.shield(self._writing)

    async def _write(self, batch: list[AuditEntry]) -> None:
        """Seal ``batch`` after what came before, and insert every row not yet written.

        One write at a time: the shutdown's flush may come while the task writes.
        """
        async with self._one_write:
            self._unwritten.extend(self._seal(entry) for entry in batch)
            if not self._unwritten:
                return
            try:
                await self._store.insert(self._unwritten)
            except Exception as exc:  # the database may come back: keep them for the next batch
                # the class only: the driver's message would repeat every row
                log.error(
                    "could not write %d audit records (%s)",
                    len(self._unwritten),
                    type(exc).__name__,
                )
                return
            self._unwritten = []

    def _seal(self, entry: AuditEntry) -> tuple[Any, ...]:
        """The entry's row, in :data:`COLUMNS` order, its hash taken over its canonical bytes."""
        about = self._about(entry)
        self._seq += 1
        codes = about.facts.area_codes(entry.variables) if about.facts.reads_variables else None
        at = _iso_utc(entry.at_us)
        name = entry.operation_name[:200] if entry.operation_name else about.name
        canonical = {  # canonical_bytes' keys, already in their sorted order
            "area_codes": about.facts.codes if codes is None else codes,
            "at": at,
            "chain": self.chain,
            "connectors": entry.connectors,
            "duration_us": entry.duration_us,
            "operation_hash": about.hash,
            "operation_name": name,
            "prev_hash": self._prev,
            "principal": entry.principal,
            "request_id": entry.request_id,
            "root_fields": about.facts.root_fields,
            "seq": self._seq,
            "status": entry.status,
            "tier": entry.tier,
        }
        prev = self._prev
        self._prev = hashlib.sha256(orjson.dumps(canonical)).hexdigest()
        return (  # COLUMNS' order; lists as JSON text
            self.chain,
            self._seq,
            at,
            entry.request_id,
            entry.principal,
            entry.tier,
            name,
            about.hash,
            about.roots_json,
            about.codes_json if codes is None else _json(codes),
            _json(entry.connectors) if entry.connectors else "[]",
            entry.status,
            entry.duration_us,
            prev,
            self._prev,
        )

    def _about(self, entry: AuditEntry) -> _Document:
        key = (entry.query, entry.operation_name)
        about = self._documents.get(key)
        if about is None:
            about = _Document.of(entry)
            self._documents.put(key, about)
        return about


@dataclass(frozen=True, slots=True)
class _Document:
    """What every request with the same document and operation name shares."""

    facts: DocumentFacts
    name: str | None
    hash: str | None
    roots_json: str
    codes_json: str

    @classmethod
    def of(cls, entry: AuditEntry) -> _Document:
        facts = (
            _NO_FACTS if entry.document is None else facts_of(entry.document, entry.operation_name)
        )
        digest = hashlib.sha256(entry.query.encode()).hexdigest() if entry.query else None
        return cls(
            facts, _operation_name(entry), digest, _json(facts.root_fields), _json(facts.codes)
        )


def _iso_utc(micros: int) -> str:
    """``micros`` (since the epoch) as ISO 8601 UTC text with microseconds, as
    ``datetime.isoformat`` writes it; the date and time of day are made once a second."""
    seconds, fraction = divmod(micros, 1_000_000)
    return f"{_second(seconds)}.{fraction:06d}+00:00"


@functools.lru_cache(maxsize=4)
def _second(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _json(values: tuple[Any, ...]) -> str:
    return orjson.dumps(values).decode()


def _operation_name(entry: AuditEntry) -> str | None:
    """The name the request gave, or the name of its document's only operation."""
    if entry.operation_name:
        return entry.operation_name[:200]
    definitions = entry.document.definitions if entry.document else ()
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) == 1 and operations[0].name is not None:
        return operations[0].name.value[:200]
    return None
