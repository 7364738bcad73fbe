"""What one audit record holds, and the bytes its hash is taken over.

Canonical bytes: the record's fields but ``hash`` (``prev_hash`` included) as one JSON object
with keys sorted, no whitespace, UTF-8 (``orjson`` with ``OPT_SORT_KEYS``); lists as JSON
arrays, times as ISO 8601 UTC text with microseconds, durations as integer microseconds, so the
bytes read back from any database are the bytes written. ``hash`` is the hex SHA-256 of them;
the first record of a chain has a ``prev_hash`` of 64 zeros.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import orjson

__all__ = ["COLUMNS", "GENESIS", "AuditRecord", "canonical_bytes"]

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One request: who asked what, which agencies were called and how they answered."""

    chain: str
    seq: int
    at: str
    request_id: str
    principal: str
    tier: str
    operation_name: str | None
    operation_hash: str | None
    root_fields: tuple[str, ...]
    area_codes: tuple[str, ...]
    connectors: tuple[tuple[str, str], ...]
    status: int
    duration_us: int
    prev_hash: str
    hash: str = ""

    def sealed(self) -> AuditRecord:
        """The same record with its hash computed."""
        return replace(self, hash=hashlib.sha256(canonical_bytes(self)).hexdigest())

    @property
    def intact(self) -> bool:
        """True when ``hash`` is the hash of the record's canonical bytes."""
        return self.hash == hashlib.sha256(canonical_bytes(self)).hexdigest()

    def values(self) -> dict[str, Any]:
        """Every field by name (lists as lists)."""
        return {name: getattr(self, name) for name in _FIELDS}

    def row(self) -> dict[str, Any]:
        """The table row: lists as JSON text."""
        values = self.values()
        for name in _LISTS:
            values[name] = orjson.dumps(values[name]).decode()
        return values

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> AuditRecord:
        """A record read back from the table."""
        values = {k: row[k] for k in _FIELDS}
        values["root_fields"] = tuple(orjson.loads(row["root_fields"]))
        values["area_codes"] = tuple(orjson.loads(row["area_codes"]))
        values["connectors"] = tuple(tuple(c) for c in orjson.loads(row["connectors"]))
        return cls(**values)


_FIELDS = tuple(f.name for f in fields(AuditRecord))
COLUMNS = _FIELDS  # the table's columns but its id, in this order
_LISTS = ("root_fields", "area_codes", "connectors")


def canonical_bytes(record: AuditRecord) -> bytes:
    """The bytes the record's hash is taken over (see the module's docstring)."""
    values = record.values()
    del values["hash"]
    return orjson.dumps(values, option=orjson.OPT_SORT_KEYS)
