"""The servers under load, each in its own process: one uvicorn worker, the same options for all.

``python -m bench.servers gateway|floor --database-url URL --port P [--response-cache-size N]``
serves one app; :class:`ServerProcess` starts that command, or ``moi-gateway serve`` itself
(kind ``serve``, configured by environment variables), and waits until it answers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette

from bench.floor import floor_app
from bench.registry_data import snapshot_of
from gateway.app import create_app
from gateway.settings import Settings

__all__ = ["KINDS", "ServerProcess", "build_app", "free_port", "main"]

KINDS = ("gateway", "floor")
SERVE = "serve"
_IDLE_SECONDS = 0.5


def free_port() -> int:
    """A localhost TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _rss_bytes(pid: int) -> int | None:
    """Resident memory of a process (Linux ``/proc``), or None elsewhere."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
    return int(kilobytes) * 1024


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux ``/proc``), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerProcess:
    """One server in a child process on a free localhost port; a context manager."""

    def __init__(
        self,
        kind: str,
        database_url: str,
        log_dir: Path,
        *,
        response_cache_size: int = 1000,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        if kind not in (*KINDS, SERVE):
            raise ValueError(f"kind must be one of {(*KINDS, SERVE)}, not {kind!r}")
        self.kind = kind
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql"
        self._command = [
            *(sys.executable, "-m", "bench.servers", kind),
            *("--database-url", database_url, "--port", str(self.port)),
            *("--response-cache-size", str(response_cache_size)),
        ]
        self._environment = {**os.environ, **(environment or {})}
        if kind == SERVE:
            self._command = [str(Path(sys.executable).with_name("moi-gateway")), SERVE]
            self._environment.update(_serve_environment(database_url, self.port))
        self._log_path = log_dir / f"{kind}-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServerProcess:
        with self._log_path.open("wb") as log:
            self._process = subprocess.Popen(
                self._command, stdout=log, stderr=subprocess.STDOUT, env=self._environment
            )
        self._wait_ready(timeout=120.0)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def rss_bytes(self) -> int | None:
        """The server's resident memory now, when the platform tells."""
        return None if self._process is None else _rss_bytes(self._process.pid)

    def cpu_seconds(self) -> float | None:
        """CPU time the server process has used so far, when the platform tells."""
        return None if self._process is None else _cpu_seconds(self._process.pid)

    def wait_idle(self, timeout: float = 120.0, busy_share: float = 0.05) -> None:
        """Return once the server's start-up work in the background is done: its CPU time grew
        by less than ``busy_share`` of a core over half a second (the gateway reads the service
        points after it is ready). Returns at once where the platform does not tell CPU time."""
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while before is not None and time.monotonic() < deadline:
            time.sleep(_IDLE_SECONDS)
            after = self.cpu_seconds()
            if after is None or after - before < busy_share * _IDLE_SECONDS:
                return
            before = after
        if before is not None:
            raise RuntimeError(f"the {self.kind} server was still busy after {timeout} s")

    def _wait_ready(self, timeout: float) -> None:
        assert self._process is not None
        ready = self.url.removesuffix("/graphql") + "/readyz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(ready, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.__exit__(None, None, None)
        log = self._log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the {self.kind} server did not become ready:\n{log}")


def _serve_environment(database_url: str, port: int) -> dict[str, str]:
    return {
        "GATEWAY_DATABASE_URL": database_url,
        "GATEWAY_PORT": str(port),
        "GATEWAY_REGISTRY_POLL_SECONDS": "3600",
        "GATEWAY_LOG_LEVEL": "warning",
    }


def build_app(
    kind: str, database_url: str, response_cache_size: int, **gateway_settings: Any
) -> Starlette:
    """The app of ``kind`` over the registry at ``database_url``, as the benchmarks serve it
    (``gateway_settings``: more of the gateway's :class:`Settings`)."""
    if kind == "floor":
        return floor_app(asyncio.run(snapshot_of(database_url)))
    settings = Settings(
        database_url=database_url,
        response_cache_size=response_cache_size,
        registry_poll_seconds=3600.0,
        log_level="warning",
        rate_limit_public=0,  # the load comes from one address, far past any public budget
        **gateway_settings,
    )
    return create_app(settings)


def main(argv: list[str] | None = None) -> None:
    """Serve one app with one uvicorn worker, no access log, until terminated."""
    parser = argparse.ArgumentParser(prog="python -m bench.servers")
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--response-cache-size", type=int, default=1000)
    args = parser.parse_args(argv)
    app = build_app(args.kind, args.database_url, args.response_cache_size)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
