"""Depth and aliases, counted with fragments expanded; tokens counted by the lexer."""

from __future__ import annotations

import pytest
from graphql import GraphQLError, parse

from gateway.limits import OperationLimits, shape_errors
from gateway.limits.shape import count_tokens

LIMITS = OperationLimits(max_depth=3, max_aliases=2)


@pytest.mark.parametrize(
    ("query", "limit", "actual"),
    [
        ("{ a { b { c { d } } } }", "depth", 4),
        ("{ a { ...F } } fragment F on T { b { c { d } } }", "depth", 4),
        ("{ x: a y: a z: a }", "aliases", 3),
        ("{ ...F ...F } fragment F on Query { x: a y: a }", "aliases", 4),
        ("query Q { a } query R { a { b { c { d } } } }", "depth", 4),
    ],
)
def test_an_operation_over_a_limit_is_refused_with_its_numbers(
    query: str, limit: str, actual: int
) -> None:
    (error,) = shape_errors(parse(query), LIMITS)
    assert error.extensions == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": limit,
        "maximum": {"depth": 3, "aliases": 2}[limit],
        "actual": actual,
    }


@pytest.mark.parametrize(
    "query",
    [
        "{ a { b { c } } }",
        "{ x: a y: a }",
        "{ ...F } fragment F on Query { ...F }",  # a cycle: validation names it, not this
        "{ ...Missing }",
    ],
)
def test_an_operation_within_the_limits_passes(query: str) -> None:
    assert shape_errors(parse(query), LIMITS) == ()


def test_nested_fragments_are_measured_once_each() -> None:
    # each fragment spreads the next twice: 2**40 aliases when expanded, counted without expanding
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    document = parse(f"{{ ...F0 }} {chain} fragment F40 on Query {{ x: a }}")
    (error,) = shape_errors(document, LIMITS)
    assert error.extensions is not None
    assert error.extensions["actual"] == 2**40


def test_tokens_are_counted_as_the_parser_counts_them() -> None:
    query = "{ a(x: 1) { b } } # a comment"
    assert count_tokens(query) == 12  # 11 and the comment
    parse(query, max_tokens=12)
    with pytest.raises(GraphQLError):
        parse(query, max_tokens=11)
