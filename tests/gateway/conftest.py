"""Fixtures for the gateway's service-point tests: the two agencies behind them, on their own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from central_codes.snapshot import Snapshot
from sandbox.agencies import citizeninfo, infogoth
from sandbox.data import SandboxData
from sandbox.faults import Faults
from sandbox.server import Sandbox


@pytest.fixture(scope="session")
async def points_sandbox(snapshot: Snapshot) -> AsyncIterator[Sandbox]:
    """CITIZENinfo and info.go.th on local ports, apart from the app's sandbox, so that a test
    injecting faults here never disturbs another's index."""
    sandbox = Sandbox(SandboxData(snapshot), [citizeninfo.AGENCY, infogoth.AGENCY])
    await sandbox.start()
    yield sandbox
    await sandbox.stop()


@pytest.fixture
def clean_points_sandbox(points_sandbox: Sandbox) -> Sandbox:
    """:func:`points_sandbox` with its faults cleared and its request logs emptied."""
    for name in ("citizeninfo", "infogoth"):
        state = points_sandbox.state.agency(name)
        state.faults = Faults()
        state.requests.clear()
    return points_sandbox
