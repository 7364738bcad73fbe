"""Cursor pagination: opaque cursors that name the last item seen, so pages stay stable."""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from central_codes.records import AreaRecord
from gateway.errors import BadUserInput

__all__ = [
    "MAX_PAGE",
    "Connection",
    "Edge",
    "PageInfo",
    "decode_cursor",
    "encode_cursor",
    "paginate",
    "paginate_by",
]

MAX_PAGE = 500
NodeT = TypeVar("NodeT")
RecordT = TypeVar("RecordT")


@strawberry.type(description="Where a page stands in the whole list.")
class PageInfo:
    """Relay's page information."""

    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="One item of a page, with its cursor.")
class Edge(Generic[NodeT]):
    """An item and its cursor."""

    cursor: str = strawberry.field(description="Opaque; pass as `after` to start after this item.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="One page of a long list.")
class Connection(Generic[NodeT]):
    """A page: its items (as edges and as plain nodes), the total and where it stands."""

    edges: list[Edge[NodeT]] = strawberry.field(description="The items with their cursors.")
    nodes: list[NodeT] = strawberry.field(description="The items alone.")
    page_info: PageInfo = strawberry.field(description="Whether more follow, and from where.")
    total_count: int = strawberry.field(description="How many items the whole list holds.")


def encode_cursor(key: str) -> str:
    """The cursor of the item with this key."""
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str) -> str:
    """The key inside a cursor; a cursor we did not make is BAD_USER_INPUT."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.startswith("k:"):
        raise BadUserInput("`after` is not a cursor this API gave out", argument="after")
    return text[2:]


def paginate(
    records: Sequence[AreaRecord],
    first: int,
    after: str | None,
    to_nodes: Callable[[tuple[AreaRecord, ...]], list[NodeT]],
) -> Connection[NodeT]:
    """The page of ``records`` (sorted by code) after the cursor ``after``."""
    return paginate_by(records, first, after, to_nodes, _code)


def paginate_by(
    records: Sequence[RecordT],
    first: int,
    after: str | None,
    to_nodes: Callable[[tuple[RecordT, ...]], list[NodeT]],
    key: Callable[[RecordT], str],
) -> Connection[NodeT]:
    """The page of ``records`` (sorted by ``key``) after the cursor ``after``."""
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"`first` must be from 1 to {MAX_PAGE}", argument="first")
    # the first record whose key sorts after the cursor's: stable even if that record is gone
    start = 0 if after is None else bisect.bisect_right(records, decode_cursor(after), key=key)
    page = tuple(records[start : start + first])
    nodes = to_nodes(page)
    edges = [Edge(cursor=encode_cursor(key(r)), node=n) for r, n in zip(page, nodes, strict=True)]
    has_next = start + first < len(records)
    return Connection(
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
        total_count=len(records),
    )


def _code(record: AreaRecord) -> str:
    return record.code
