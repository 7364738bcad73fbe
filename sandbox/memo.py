"""Caching what is derived from sandbox data: once per snapshot and seed, dropped with them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar
from weakref import WeakKeyDictionary

from central_codes.snapshot import Snapshot
from sandbox.data import SandboxData

__all__ = ["per_snapshot"]

T = TypeVar("T")


def per_snapshot(build: Callable[[SandboxData], T]) -> Callable[[SandboxData], T]:
    """``build(data)`` computed on first use for each (snapshot, seed), then reused."""
    cache: WeakKeyDictionary[Snapshot, dict[int, T]] = WeakKeyDictionary()

    @functools.wraps(build)
    def cached(data: SandboxData) -> T:
        by_seed = cache.setdefault(data.snapshot, {})
        if data.seed not in by_seed:
            by_seed[data.seed] = build(data)
        return by_seed[data.seed]

    return cached
