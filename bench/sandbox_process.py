"""The sandbox agencies in their own process (``moi-gateway sandbox``), driven over HTTP.

A benchmark that times the gateway against its upstreams runs them apart, as real agencies
are: the agencies' own work must not share the gateway's event loop and core.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import sys
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import aiohttp

__all__ = ["SandboxProcess"]

AGENCY_COUNT = 13  # the agencies `moi-gateway sandbox` serves, on consecutive ports


def _free_base_port() -> int:
    """The first of :data:`AGENCY_COUNT` consecutive localhost ports nobody listens on."""
    for _ in range(50):
        base = random.randrange(20_000, 60_000)
        try:
            for port in range(base, base + AGENCY_COUNT):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free range of localhost ports for the sandbox")


class SandboxProcess:
    """``moi-gateway sandbox`` over ``database_url``; its URLs, faults and request logs."""

    def __init__(self, database_url: str) -> None:
        self._database_url = database_url
        self._process: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None
        self.urls: dict[str, str] = {}

    async def __aenter__(self) -> SandboxProcess:
        command = Path(sys.executable).with_name("moi-gateway")
        environ = {**os.environ, "GATEWAY_DATABASE_URL": self._database_url}
        self._process = await asyncio.create_subprocess_exec(
            str(command), "sandbox", "--base-port", str(_free_base_port()),
            env=environ, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        assert self._process.stdout is not None
        while not (line := (await self._process.stdout.readline()).decode()).startswith("Faults"):
            if not line:
                raise RuntimeError("the sandbox process ended before it was ready")
            name, _, url = line.strip().partition("_URL=")
            if name.startswith("GATEWAY_CONNECTOR_"):
                self.urls[name.removeprefix("GATEWAY_CONNECTOR_").lower()] = url
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            await self._process.wait()

    @property
    def session(self) -> aiohttp.ClientSession:
        """A client session for talking to the agencies directly."""
        assert self._session is not None, "use SandboxProcess as an async context manager"
        return self._session

    async def set_faults(self, agency: str, faults: dict[str, Any]) -> None:
        """Change some of one agency's fault fields (``latency_ms``, ``down``, ...)."""
        url = f"{self.urls[agency]}/__admin/faults/{agency}"
        async with self.session.put(url, json=faults) as response:
            response.raise_for_status()

    async def clear_faults(self, agency: str) -> None:
        """Clear every fault of one agency."""
        async with self.session.delete(f"{self.urls[agency]}/__admin/faults/{agency}") as response:
            response.raise_for_status()

    async def take_calls(self, agency: str) -> list[str]:
        """The URLs the agency was asked since last time; its log is cleared."""
        url = f"{self.urls[agency]}/__admin/requests/{agency}"
        async with self.session.get(url) as response:
            log = await response.json()
        async with self.session.delete(url) as response:
            response.raise_for_status()
        return [
            self.urls[agency] + r["path"] + (f"?{urlencode(r['query'])}" if r["query"] else "")
            for r in log["requests"]
        ]
