"""``Query.connectors``: each agency connector's health, for operators.

Internal scope only (it holds base URLs and error messages, never credentials or personal
data); other callers get null and ``FORBIDDEN``.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.access.fields import Restricted
from gateway.access.principal import INTERNAL_SCOPE
from gateway.connectors import ConnectorStatus
from gateway.connectors.catalogue import AGENCIES
from gateway.schema.context import Info

__all__ = ["ConnectorHealth", "ConnectorsQuery"]


@strawberry.type(description="How many calls ended one way.")
class OutcomeCount:
    """A count of calls by outcome."""

    outcome: str = strawberry.field(description="ok, timeout, unavailable, cache_hit, stale, ...")
    count: int = strawberry.field(description="Calls since the process started.")


@strawberry.type(description="The most recent failure of a connector.")
class ConnectorError:
    """A failure's code, message and time."""

    code: str = strawberry.field(description="The error code clients saw.")
    message: str = strawberry.field(description="What went wrong, without personal data.")
    at: dt.datetime = strawberry.field(description="When (UTC).")


@strawberry.type(description="One agency connector's health.")
class ConnectorHealth:
    """A snapshot of a connector, as operators watch it."""

    name: str = strawberry.field(description="The connector's name, as errors name it.")
    title: str = strawberry.field(description="The agency system it reaches.")
    base_url: str | None = strawberry.field(description="Where it points; null if unconfigured.")
    circuit_state: str = strawberry.field(description="closed, open or half_open.")
    error_rate: float = strawberry.field(description="Share of recent calls that failed, 0 to 1.")
    last_error: ConnectorError | None = strawberry.field(description="The latest failure.")
    p50_ms: float | None = strawberry.field(description="Median latency of recent calls.")
    p95_ms: float | None = strawberry.field(description="95th-percentile latency of recent calls.")
    calls: list[OutcomeCount] = strawberry.field(description="Calls by outcome.")

    @classmethod
    def of(cls, status: ConnectorStatus) -> ConnectorHealth:
        """The graph object of a status snapshot."""
        last = status.last_error
        return cls(
            name=status.name,
            title=AGENCIES.get(status.name, status.name),
            base_url=status.base_url,
            circuit_state=status.circuit,
            error_rate=status.error_rate,
            last_error=None
            if last is None
            else ConnectorError(
                code=last.code, message=last.message, at=dt.datetime.fromtimestamp(last.at, dt.UTC)
            ),
            p50_ms=status.p50_ms,
            p95_ms=status.p95_ms,
            calls=[OutcomeCount(outcome=k, count=v) for k, v in sorted(status.calls.items())],
        )


@strawberry.type
class ConnectorsQuery:
    """Operator root fields, merged into Query."""

    @strawberry.field(
        description="Each agency connector: where it points and how it is doing. Internal scope.",
        directives=[Restricted(scopes=[[INTERNAL_SCOPE]])],
    )
    def connectors(self, info: Info) -> list[ConnectorHealth] | None:
        found = info.context.connectors
        return [] if found is None else [ConnectorHealth.of(s) for s in found.status()]
