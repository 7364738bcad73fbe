"""A gateway killed with SIGKILL while complaints are filed, and 1567 down, loses none and
repeats none: after a restart and 1567's return, every acknowledged complaint reaches 1567
exactly once.

The gateway runs as a real ``moi-gateway serve`` process and the agencies as a real
``moi-gateway sandbox`` process, so the kill takes nothing of the agencies with it. Callers do
what a well-behaved client does: a request that got no answer is sent again, with the same
idempotency key, once the gateway is back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.sandbox_process import SandboxProcess

FILE = """mutation ($input: FileComplaintInput!) {
  fileComplaint(input: $input) { trackingNumber replayed }
}"""
SHOW = "query ($n: String!) { complaint(trackingNumber: $n) { status agencyTrackingNumber } }"
CALLERS = 6
ACKNOWLEDGED_BEFORE_KILL = 30
ANSWER_TIMEOUT = aiohttp.ClientTimeout(total=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def gateway_process(
    database_url: str, agencies: dict[str, str]
) -> AsyncIterator[tuple[str, int]]:
    """``moi-gateway serve`` on a free port, pointed at ``agencies``: its GraphQL URL and pid."""
    port = _free_port()
    environ = {
        **os.environ,
        "GATEWAY_DATABASE_URL": database_url,
        "GATEWAY_PORT": str(port),
        "GATEWAY_SANDBOX": "never",
        "GATEWAY_LOG_LEVEL": "warning",
        "GATEWAY_RATE_LIMIT_PUBLIC": "0",  # the callers all ask from one address
        "GATEWAY_OUTBOX_POLL_SECONDS": "0.1",
        "GATEWAY_OUTBOX_BACKOFF_SECONDS": "0.1",
        "GATEWAY_OUTBOX_BACKOFF_MAX_SECONDS": "0.5",
        "GATEWAY_OUTBOX_LEASE_SECONDS": "2",
        **{f"GATEWAY_CONNECTOR_{name.upper()}_URL": url for name, url in agencies.items()},
    }
    command = Path(sys.executable).with_name("moi-gateway")
    process = await asyncio.create_subprocess_exec(
        str(command), "serve", env=environ,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        await _until_ready(f"{base}/readyz", process)
        yield f"{base}/graphql", process.pid
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def _until_ready(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            if process.returncode is not None:
                raise RuntimeError("the gateway process ended before it was ready")
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the gateway did not become ready")


def complaint(key: str) -> dict[str, Any]:
    return {
        "category": "GENERAL_GRIEVANCE",
        "subject": "เสียงดังยามวิกาล",
        "detail": "ร้านค้าเปิดเพลงเสียงดังหลังเที่ยงคืนทุกคืน",
        "areaCode": "120101",
        "contact": {"name": "สมชาย ใจดี", "phone": "0812345678"},
        "idempotencyKey": key,
    }


async def file(session: aiohttp.ClientSession, url: str, key: str) -> str:
    """Our tracking number for ``key``; raises when the gateway gave no answer."""
    body = {"query": FILE, "variables": {"input": complaint(key)}}
    async with session.post(url, json=body, timeout=ANSWER_TIMEOUT) as response:
        answer = await response.json()
    assert "errors" not in answer, answer
    number: str = answer["data"]["fileComplaint"]["trackingNumber"]
    return number


class Callers:
    """Callers filing complaints until the gateway stops answering; what each key got."""

    def __init__(self) -> None:
        self.acknowledged: dict[str, str] = {}  # idempotency key -> our tracking number
        self.unanswered: set[str] = set()
        self.enough = asyncio.Event()  # set once ACKNOWLEDGED_BEFORE_KILL were acknowledged

    async def run(self, url: str) -> None:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(self._caller(session, url) for _ in range(CALLERS)))

    async def _caller(self, session: aiohttp.ClientSession, url: str) -> None:
        while True:
            key = f"crash-{uuid.uuid4().hex}"
            try:
                self.acknowledged[key] = await file(session, url, key)
                if len(self.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL:
                    self.enough.set()
            except (TimeoutError, aiohttp.ClientError):
                self.unanswered.add(key)  # killed mid-request: committed or not, we can't tell
                return


async def kill_when_acknowledged(callers: Callers, pid: int) -> None:
    """SIGKILL the gateway once enough complaints were acknowledged, mid-stream."""
    await callers.enough.wait()
    os.kill(pid, signal.SIGKILL)


async def agency_complaints(sandbox: SandboxProcess) -> list[dict[str, Any]]:
    url = f"{sandbox.urls['complaints_1567']}/__admin/complaints_1567/complaints"
    async with sandbox.session.get(url) as response:
        listing: dict[str, Any] = await response.json()
    found: list[dict[str, Any]] = listing["complaints"]
    return found


async def until_delivered(url: str, numbers: set[str]) -> dict[str, str]:
    """Our tracking number -> 1567's, once every one of ``numbers`` is delivered."""
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            agency = {n: await _agency_number(session, url, n) for n in numbers}
            if all(agency.values()):
                return {n: a for n, a in agency.items() if a}
            await asyncio.sleep(0.1)
    raise AssertionError("not every acknowledged complaint was delivered")


async def _agency_number(session: aiohttp.ClientSession, url: str, number: str) -> str | None:
    body = {"query": SHOW, "variables": {"n": number}}
    async with session.post(url, json=body) as response:
        found = (await response.json())["data"]["complaint"]
    assert found is not None, f"acknowledged complaint {number} is gone"
    agency: str | None = found["agencyTrackingNumber"]
    return agency


async def test_sigkill_while_filing_loses_and_repeats_nothing(
    loaded_engine: AsyncEngine, database_url: str
) -> None:
    async with SandboxProcess(database_url) as sandbox:
        await sandbox.set_faults("complaints_1567", {"down": True})
        callers = Callers()
        async with gateway_process(database_url, sandbox.urls) as (url, pid):
            await asyncio.gather(callers.run(url), kill_when_acknowledged(callers, pid))
        assert len(callers.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL
        assert await agency_complaints(sandbox) == []  # 1567 was down the whole time

        async with gateway_process(database_url, sandbox.urls) as (url, _):
            async with aiohttp.ClientSession() as session:  # callers retry what went unanswered
                retried = {k: await file(session, url, k) for k in callers.unanswered}
            await sandbox.set_faults("complaints_1567", {"down": False})
            ours = {**callers.acknowledged, **retried}
            delivered = await until_delivered(url, set(ours.values()))

        stored = await agency_complaints(sandbox)
        assert len(set(ours.values())) == len(ours)  # one complaint per idempotency key
        references = Counter(c["clientReference"] for c in stored)
        assert set(references) == set(ours.values())  # every acknowledged one, nothing else
        assert len(stored) == len(ours)  # none twice
        assert sorted(c["trackingNumber"] for c in stored) == sorted(delivered.values())
