"""Repeating: the step runs at start and again after each interval; a failing step does not
end it; stop ends it."""

from __future__ import annotations

import asyncio
import logging

import pytest

from gateway.repeating import Repeating


async def test_a_failing_step_is_logged_and_the_next_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []
    three = asyncio.Event()

    async def step() -> None:
        calls.append(len(calls))
        if len(calls) == 3:
            three.set()
        if len(calls) == 1:
            raise RuntimeError("the first one fails")

    repeating = Repeating(step, every_seconds=0, log=logging.getLogger("t"), failure="step failed")
    repeating.start()
    await asyncio.wait_for(three.wait(), timeout=10)
    await repeating.stop()
    stopped_at = len(calls)
    await asyncio.sleep(0)
    assert len(calls) == stopped_at >= 3
    assert [r.message for r in caplog.records] == ["step failed"]
    await repeating.stop()  # stopping twice is harmless
