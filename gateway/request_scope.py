"""What one request's work shares without passing it through every resolver.

The HTTP view opens a :class:`RequestScope` per request; the connector runtime reads it from a
context variable (tasks started while serving the request inherit it) to stop agency calls at
the request's deadline and to note each call's connector and outcome for the audit trail, so
no resolver or per-field hook takes part.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode

__all__ = ["ConnectorCall", "RequestScope", "current_scope", "enter", "entered", "leave"]


@dataclass(frozen=True, slots=True)
class ConnectorCall:
    """One call a request made through a connector, and how it ended (a metrics outcome)."""

    connector: str
    outcome: str


@dataclass(slots=True)
class RequestScope:
    """The request's deadline (event-loop time, None for none), the calls it made, and the
    document it asked to run (for the audit trail; empty until the request is read)."""

    deadline: float | None = None
    calls: list[ConnectorCall] = field(default_factory=list)
    query: str = ""
    operation_name: str | None = None
    variables: Mapping[str, Any] | None = None
    document: DocumentNode | None = None

    def asked(
        self,
        query: str,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        document: DocumentNode | None,
    ) -> None:
        """Note the document the request asked to run."""
        self.query, self.operation_name = query, operation_name
        self.variables, self.document = variables, document

    def note(self, connector: str, outcome: str) -> None:
        """Record one connector call."""
        self.calls.append(ConnectorCall(connector, outcome))


_CURRENT: ContextVar[RequestScope | None] = ContextVar("request_scope", default=None)


def current_scope() -> RequestScope | None:
    """The scope of the request being served, or None outside one (background work)."""
    return _CURRENT.get()


@contextlib.contextmanager
def entered(scope: RequestScope) -> Iterator[RequestScope]:
    """Make ``scope`` current for the block (and the tasks it starts)."""
    token = enter(scope)
    try:
        yield scope
    finally:
        leave(token)


def enter(scope: RequestScope) -> Token[RequestScope | None]:
    """Make ``scope`` current until :func:`leave` is given the token."""
    return _CURRENT.set(scope)


def leave(token: Token[RequestScope | None]) -> None:
    """Restore the scope that was current before :func:`enter`."""
    _CURRENT.reset(token)
