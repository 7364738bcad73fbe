"""``Query.auditRecords``: the newest records of the audit trail, for operators.

Internal scope only; other callers get null and ``FORBIDDEN``. Records hold no personal data
(see :mod:`gateway.audit.facts`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from gateway.access.fields import Restricted
from gateway.access.principal import INTERNAL_SCOPE
from gateway.audit import AuditRecord
from gateway.errors import BadUserInput, InternalError
from gateway.schema.context import Info

__all__ = ["AuditQuery", "AuditRecordNode"]

MAX_RECORDS = 500


@strawberry.type(description="One connector call a request made, and how it ended.")
class AuditedCall:
    """A connector and its outcome."""

    connector: str = strawberry.field(description="The connector's name.")
    outcome: str = strawberry.field(description="ok, cache_hit, stale, timeout, ...")


@strawberry.type(name="AuditRecord", description="One request, as the audit trail recorded it.")
class AuditRecordNode:
    """A record of the hash-chained audit trail."""

    chain: str = strawberry.field(description="The instance's chain (host, process, tag).")
    seq: int = strawberry.field(description="Its place in the chain, from 1.")
    at: dt.datetime = strawberry.field(description="When the request was answered (UTC).")
    request_id: str = strawberry.field(description="The request's X-Request-Id.")
    principal: str = strawberry.field(
        description="Who asked: a key id, a token subject, or anonymous."
    )
    tier: str = strawberry.field(description="public, partner or internal.")
    operation_name: str | None = strawberry.field(description="The operation's name, if any.")
    operation_hash: str | None = strawberry.field(description="SHA-256 of the document, hex.")
    root_fields: list[str] = strawberry.field(description="The root fields it asked for.")
    area_codes: list[str] = strawberry.field(description="The area codes it named.")
    calls: list[AuditedCall] = strawberry.field(description="Connector calls, in order.")
    status: int = strawberry.field(description="The HTTP status answered.")
    duration_ms: float = strawberry.field(description="How long the answer took.")
    prev_hash: str = strawberry.field(description="The hash of the record before it in its chain.")
    hash: str = strawberry.field(description="SHA-256 of this record's canonical bytes.")

    @classmethod
    def of(cls, record: AuditRecord) -> AuditRecordNode:
        """The graph object of a stored record."""
        return cls(
            chain=record.chain,
            seq=record.seq,
            at=dt.datetime.fromisoformat(record.at),
            request_id=record.request_id,
            principal=record.principal,
            tier=record.tier,
            operation_name=record.operation_name,
            operation_hash=record.operation_hash,
            root_fields=list(record.root_fields),
            area_codes=list(record.area_codes),
            calls=[AuditedCall(connector=c, outcome=o) for c, o in record.connectors],
            status=record.status,
            duration_ms=record.duration_us / 1000,
            prev_hash=record.prev_hash,
            hash=record.hash,
        )


@strawberry.type
class AuditQuery:
    """Operator root fields on the audit trail, merged into Query."""

    @strawberry.field(
        description="The newest audit records of every instance, newest first. Internal scope.",
        directives=[Restricted(scopes=[[INTERNAL_SCOPE]])],
    )
    async def audit_records(
        self,
        info: Info,
        last: Annotated[int, strawberry.argument(description="How many, 1 to 500.")] = 20,
    ) -> list[AuditRecordNode] | None:
        if not 1 <= last <= MAX_RECORDS:
            raise BadUserInput(f"`last` must be from 1 to {MAX_RECORDS}", argument="last")
        if info.context.audit is None:
            raise InternalError("the audit trail is not open")
        return [AuditRecordNode.of(r) for r in await info.context.audit.newest(last)]
