"""Per-request DataLoaders, one per (connector, key), made on first use within a request.

A domain module defines a factory ``def make(context) -> DataLoader[K, V]`` and its resolvers
call ``context.loaders.get(make)``: the same factory gives the same loader for the whole
request, so every key asked for in one request is batched and deduplicated together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["Loaders"]

L = TypeVar("L")


class Loaders:
    """The loaders of one request, keyed by the factory that makes each."""

    def __init__(self, context: Any) -> None:
        self._context = context
        self._made: dict[Callable[[Any], Any], Any] = {}

    def get(self, make: Callable[[Any], L]) -> L:
        """The request's loader made by ``make``; made now if this request has none yet."""
        loader = self._made.get(make)
        if loader is None:
            loader = self._made[make] = make(self._context)
        return loader
