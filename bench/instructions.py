"""Instructions per request: the registry query through uvicorn's HTTP/1.1 protocol, counted by
valgrind's callgrind, for the floor and the gateway in one run.

Requests per second and CPU time on a shared machine swing by ten per cent from one run to the
next; the number of instructions the same requests take through the same code repeats to a
few parts in a thousand. So this tells whether a change to the request path made it cheaper,
where the throughput benchmark cannot. It is not time: it ignores cache misses, and it counts
SHA-256 in valgrind's software form, dearer than the processor's own.

``count_instructions`` starts each server kind in a process of its own under
``valgrind --tool=callgrind --instr-atstart=no``; that process (``python -m bench.instructions
KIND URL KEY N``) builds the app as ``bench.servers`` does, starts its lifespan, waits for its
start-up work in the background (the gateway's service-point index), warms up, then counts
only while it sends N requests over 32 keep-alive connections through uvicorn's own protocol
on in-memory transports and lets the audit trail write them. Every request carries a partner's
API key, as in the throughput benchmark. The gateway's pollers that tick by the clock (the
outbox every second, the alert feed every minute) tick once an hour here: under callgrind a
second takes some fifty times the instructions it takes outside it, so a tick a second would
be counted as a cost of the requests it is not, and would make the count swing by a per cent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from uvicorn.config import Config
from uvicorn.lifespan.on import LifespanOn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from bench.registry_data import SMALL_QUERY
from bench.registry_throughput import issue_key
from bench.servers import KINDS, build_app
from gateway.access import API_KEY_HEADER

__all__ = ["count_instructions", "drive", "http_request", "main", "per_connection"]

CONNECTIONS = 32
_COUNTING = "MOI_BENCH_CALLGRIND"  # set for the child: switch collection on and off
_HOUR = 3600.0
_SETTLE_SECONDS = 600.0  # under valgrind, start-up work takes some ten times as long


def count_instructions(database_url: str, directory: Path, requests: int) -> dict[str, Any]:
    """Each kind's instructions per request and the floor/gateway ratio (above 1: the gateway
    takes fewer); an ``error`` instead when valgrind is not installed."""
    tools = [shutil.which("valgrind"), shutil.which("callgrind_control")]
    if None in tools:
        return {"error": "valgrind (with callgrind_control) is not on PATH"}
    key = asyncio.run(issue_key(database_url))
    outputs = {kind: directory / f"callgrind.{kind}.out" for kind in KINDS}
    children = {
        kind: subprocess.Popen(
            [
                *(str(tools[0]), "--tool=callgrind", "--instr-atstart=no"),
                f"--callgrind-out-file={outputs[kind]}",
                *(sys.executable, "-m", "bench.instructions", kind, database_url, key),
                str(requests),
            ],
            env={**os.environ, _COUNTING: "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for kind in KINDS  # side by side: what one counts does not depend on the other
    }
    per_request: dict[str, float] = {}
    for kind, child in children.items():
        _, errors = child.communicate(timeout=3600)
        if child.returncode != 0:
            raise RuntimeError(f"the {kind} under callgrind failed:\n{errors.decode()[-2000:]}")
        per_request[kind] = round(_total(outputs[kind]) / per_connection(requests) / CONNECTIONS)
    return {
        "requests": per_connection(requests) * CONNECTIONS,
        "instructions_per_request": per_request,
        "floor/gateway": round(per_request["floor"] / per_request["gateway"], 3),
    }


def per_connection(requests: int) -> int:
    """Requests each of the :data:`CONNECTIONS` sends, for about ``requests`` in all."""
    return max(1, requests // CONNECTIONS)


def _total(output: Path) -> int:
    """The instructions callgrind counted, from its output file's ``totals:`` line."""
    found = re.search(rb"^totals: (\d+)", output.read_bytes(), re.MULTILINE)
    if found is None:
        raise RuntimeError(f"{output} holds no totals")
    return int(found.group(1))


class _Transport(asyncio.Transport):
    """One connection's socket, in memory: it resolves ``answered`` with each whole response."""

    def __init__(self) -> None:
        super().__init__()
        self.answered: asyncio.Future[bytes] | None = None
        self._buffer = b""
        self._closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(
            name, default
        )

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._buffer += bytes(data)
        head, separator, body = self._buffer.partition(b"\r\n\r\n")
        if not separator:
            return
        length = re.search(rb"(?im)^content-length: *(\d+)", head)
        if length is None or len(body) >= int(length.group(1)):
            if self.answered is not None and not self.answered.done():
                self.answered.set_result(self._buffer)
            self._buffer = b""

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        self._closing = True

    def pause_reading(self) -> None:
        """Nothing to pause: the driver sends the next request only after an answer."""

    def resume_reading(self) -> None:
        """Nothing to resume."""


async def drive(config: Config, state: dict[str, Any], request: bytes, count: int) -> bytes:
    """Send ``request`` ``count`` times, one after another, over one in-memory connection;
    the last answer (each must be 200)."""
    loop = asyncio.get_running_loop()
    protocol = H11Protocol(config=config, server_state=ServerState(), app_state=state, _loop=loop)
    transport = _Transport()
    protocol.connection_made(transport)
    answer = b""
    for _ in range(count):
        transport.answered = loop.create_future()
        protocol.data_received(request)
        answer = await transport.answered
        if not answer.startswith(b"HTTP/1.1 200 "):
            raise RuntimeError(f"the server answered {answer[:300]!r}")
    protocol.connection_lost(None)
    return answer


def http_request(key: str) -> bytes:
    """The registry query as a client sends it: POST with a JSON body and a partner's key."""
    body = orjson.dumps({"query": SMALL_QUERY})
    head = (
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\n{API_KEY_HEADER}: {key}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _settled(app: Starlette) -> None:
    """Once the app's start-up work in the background is done (the service-point index)."""
    points = getattr(getattr(app.state, "resources", None), "service_points", None)
    if points is not None:
        async with asyncio.timeout(_SETTLE_SECONDS):
            await points.read_once()  # waits for the read under way, or reads
    await asyncio.sleep(2.0)


def _collect(on: bool) -> None:
    """Switch callgrind's counting on or off in this process (when running under it)."""
    if os.environ.get(_COUNTING):
        command = ["callgrind_control", "-i", "on" if on else "off", str(os.getpid())]
        subprocess.run(command, check=True, capture_output=True)


async def _serve(app: Starlette, key: str, requests: int) -> None:
    config = Config(app, log_level="warning", access_log=False, http="h11", lifespan="on")
    config.load()
    lifespan = LifespanOn(config)
    await lifespan.startup()
    try:
        await _settled(app)
        request, each = http_request(key), per_connection(requests)
        warm = (drive(config, lifespan.state, request, 50) for _ in range(CONNECTIONS))
        await asyncio.gather(*warm)
        await asyncio.sleep(1.5)  # the audit trail writes the warm-up's records
        _collect(True)
        runs = (drive(config, lifespan.state, request, each) for _ in range(CONNECTIONS))
        await asyncio.gather(*runs)
        await asyncio.sleep(1.5)  # and the measured requests' records, counted with them
        _collect(False)
    finally:
        await lifespan.shutdown()


def main(argv: list[str] | None = None) -> None:
    """The child: serve one kind in-process and send it the counted requests."""
    parser = argparse.ArgumentParser(prog="python -m bench.instructions")
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("database_url")
    parser.add_argument("key", help="a partner's API key in that database")
    parser.add_argument("requests", type=int, help=f"in all, over {CONNECTIONS} connections")
    args = parser.parse_args(argv)
    ticks = {"outbox_poll_seconds": _HOUR, "alerts_poll_seconds": _HOUR}  # the floor has none
    app = build_app(args.kind, args.database_url, 1000, **ticks)  # before the loop
    asyncio.run(_serve(app, args.key, args.requests))


if __name__ == "__main__":
    main()
