"""A step run now and then every so many seconds in the background: :class:`Repeating`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

__all__ = ["Repeating"]


class Repeating:
    """Runs ``step`` at :meth:`start` and every ``every_seconds`` after, until :meth:`stop`.

    A step that raises is logged as ``failure`` and the next one runs on time: one bad step
    never ends the repetition.
    """

    def __init__(
        self,
        step: Callable[[], Awaitable[object]],
        *,
        every_seconds: float,
        log: logging.Logger,
        failure: str,
    ) -> None:
        self._step, self._every, self._log, self._failure = step, every_seconds, log, failure
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run the step now and then every ``every_seconds``, in the background."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Cancel the repetition and wait for it to end."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._step()
            except Exception:  # a bug in one step must not end the repetition
                self._log.exception(self._failure)
            await asyncio.sleep(self._every)
