"""Single-flight: identical concurrent calls share one upstream request.

The first caller for a key starts the call; callers arriving while it runs await the same
result, or the same error. Nothing is kept once the call ends: caching is the cache's job.
A caller that is cancelled does not cancel the call the others are waiting on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

__all__ = ["SingleFlight"]

T = TypeVar("T")


class SingleFlight:
    """Merges concurrent calls by key."""

    def __init__(self) -> None:
        self._calls: dict[str, asyncio.Task[Any]] = {}

    def __len__(self) -> int:
        return len(self._calls)

    async def run(self, key: str, call: Callable[[], Awaitable[T]]) -> T:
        """The result of ``call()``, shared with every concurrent caller of the same key."""
        task = self._calls.get(key)
        if task is None:
            task = asyncio.ensure_future(call())
            self._calls[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        return cast(T, await asyncio.shield(task))

    def _finished(self, key: str, task: asyncio.Task[Any]) -> None:
        if self._calls.get(key) is task:
            del self._calls[key]
        if not task.cancelled():
            task.exception()  # retrieved here, so an error nobody awaited is not reported twice
