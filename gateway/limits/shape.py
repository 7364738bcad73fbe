"""Depth, aliases and tokens: the limits a document's text alone decides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.language import Lexer, Source, TokenKind

__all__ = ["OperationLimits", "count_tokens", "shape_errors", "too_complex"]


@dataclass(frozen=True, slots=True)
class OperationLimits:
    """The largest operation the gateway runs; each limit is a setting."""

    max_depth: int = 15
    max_aliases: int = 50
    max_tokens: int = 5000
    max_cost: int = 50_000


def too_complex(limit: str, maximum: int, actual: int) -> GraphQLError:
    """The error refusing a document: which limit, its maximum and the document's figure."""
    message = f"The operation's {limit} is {actual}, more than the limit of {maximum}."
    extensions = {"code": "QUERY_TOO_COMPLEX", "limit": limit, "maximum": maximum}
    return GraphQLError(message, extensions={**extensions, "actual": actual})


def count_tokens(text: str) -> int:
    """How many tokens ``text`` holds, counted as the parser's ``max_tokens`` counts them.

    Comments count too: a document padded with comments costs the parser as much.
    """
    lexer = Lexer(Source(text))
    while lexer.advance().kind is not TokenKind.EOF:
        pass
    count, token = 0, lexer.token.prev
    while token is not None and token.kind is not TokenKind.SOF:
        count, token = count + 1, token.prev
    return count


def shape_errors(document: DocumentNode, limits: OperationLimits) -> tuple[GraphQLError, ...]:
    """Errors for the operations deeper than allowed or with more aliases than allowed."""
    shape = _Shape(document)
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        depth, aliases = shape.of(operation.selection_set)
        if depth > limits.max_depth:
            return (too_complex("depth", limits.max_depth, depth),)
        if aliases > limits.max_aliases:
            return (too_complex("aliases", limits.max_aliases, aliases),)
    return ()


class _Shape:
    """Depth and alias count of selection sets, fragments expanded (each computed once)."""

    def __init__(self, document: DocumentNode) -> None:
        self._fragments: Mapping[str, FragmentDefinitionNode] = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self._known: dict[str, tuple[int, int]] = {}
        self._open: set[str] = set()  # fragments being measured: a cycle counts nothing

    def of(self, selection_set: SelectionSetNode | None) -> tuple[int, int]:
        """``(depth, aliases)`` below and including this selection set."""
        depth = aliases = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                below, inner = self.of(selection.selection_set)
                depth, aliases = max(depth, below + 1), aliases + inner + bool(selection.alias)
            elif isinstance(selection, InlineFragmentNode):
                below, inner = self.of(selection.selection_set)
                depth, aliases = max(depth, below), aliases + inner
            elif isinstance(selection, FragmentSpreadNode):
                below, inner = self._fragment(selection.name.value)
                depth, aliases = max(depth, below), aliases + inner
        return depth, aliases

    def _fragment(self, name: str) -> tuple[int, int]:
        if name in self._known:
            return self._known[name]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._open:
            return 0, 0  # validation names the unknown fragment or the cycle
        self._open.add(name)
        self._known[name] = self.of(fragment.selection_set)
        self._open.discard(name)
        return self._known[name]
