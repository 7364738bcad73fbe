"""The load tool, always in a process of its own so it never shares the server's interpreter.

``wrk`` when it is on PATH; otherwise ``python -m bench.load``: asyncio + aiohttp, a fixed
number of keep-alive connections each sending one request after another for a fixed time
(and at most a fixed number of requests). Either way the result is a :class:`LoadResult`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, replace

import aiohttp

from bench.wrk import run_wrk

__all__ = ["Load", "LoadResult", "main", "run_load"]


@dataclass(frozen=True)
class Load:
    """How hard and how long to push: the same for every server of a run."""

    concurrency: int = 32
    duration: float = 5.0
    warmup: float = 1.0
    max_requests: int = 1_000_000
    tool: str = "auto"  # "auto" (wrk when on PATH), "wrk" or "builtin"
    headers: tuple[tuple[str, str], ...] = ()  # sent with every request (an API key)

    def chosen_tool(self) -> str:
        """The tool this load will run with."""
        if self.tool == "auto":
            return "wrk" if shutil.which("wrk") else "builtin"
        return self.tool


@dataclass
class LoadResult:
    """What one load run measured. Latencies are None when the tool does not report them."""

    tool: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    loader_cpu_share: float | None = None  # near 1.0: the loader, not the server, was the limit
    answer: str = field(default="", repr=False)

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return (self.requests - self.errors) / self.seconds if self.seconds > 0 else 0.0


def run_load(url: str, body: bytes, load: Load) -> LoadResult:
    """Push ``body`` at ``url`` from a separate process; the result of the measured phase."""
    if load.chosen_tool() == "wrk":
        measured = run_wrk(url, body, load.concurrency, load.duration, load.warmup, load.headers)
        return LoadResult(**measured)
    command = [
        *(sys.executable, "-m", "bench.load", url, body.decode()),
        *("--concurrency", str(load.concurrency), "--duration", str(load.duration)),
        *("--warmup", str(load.warmup), "--max-requests", str(load.max_requests)),
        *(f"--header={name}:{value}" for name, value in load.headers),
    ]
    done = subprocess.run(command, capture_output=True, check=True, timeout=load.duration + 300)
    return LoadResult(**json.loads(done.stdout))


class _Tally:
    """Counts and latencies of one phase, shared by its connections."""

    def __init__(self, expected: bytes, budget: int) -> None:
        self.expected = expected
        self.budget = budget
        self.errors = 0
        self.latencies: list[float] = []

    def percentile(self, share: float) -> float | None:
        ordered = sorted(self.latencies)
        if not ordered:
            return None
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


async def _post(session: aiohttp.ClientSession, url: str, body: bytes) -> tuple[int, bytes]:
    async with session.post(url, data=body) as answer:
        return answer.status, await answer.read()


async def _connection(
    session: aiohttp.ClientSession, url: str, body: bytes, until: float, tally: _Tally
) -> None:
    """One keep-alive connection's requests, one after another, until time or budget runs out."""
    while tally.budget > 0 and time.perf_counter() < until:
        tally.budget -= 1
        start = time.perf_counter()
        status, answer = await _post(session, url, body)
        tally.latencies.append(time.perf_counter() - start)
        if status != 200 or answer != tally.expected:
            tally.errors += 1


async def _phase(
    session: aiohttp.ClientSession, url: str, body: bytes, load: Load, tally: _Tally
) -> float:
    """Run ``load.concurrency`` connections for ``load.duration``; the wall time it took."""
    start = time.perf_counter()
    until = start + load.duration
    connections = (_connection(session, url, body, until, tally) for _ in range(load.concurrency))
    await asyncio.gather(*connections)
    return time.perf_counter() - start


async def measure(url: str, body: bytes, load: Load) -> LoadResult:
    """Warm up, then measure, over ``load.concurrency`` keep-alive connections."""
    connector = aiohttp.TCPConnector(limit=load.concurrency)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    headers.update(load.headers)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        status, expected = await _post(session, url, body)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}: {expected[:500]!r}")
        warmup = replace(load, duration=load.warmup)
        await _phase(session, url, body, warmup, _Tally(expected, load.max_requests))
        tally = _Tally(expected, load.max_requests)
        cpu = time.process_time()
        seconds = await _phase(session, url, body, load, tally)
        cpu_share = (time.process_time() - cpu) / seconds
    return LoadResult(
        tool="builtin",
        requests=len(tally.latencies),
        errors=tally.errors,
        seconds=seconds,
        p50_ms=tally.percentile(0.50),
        p99_ms=tally.percentile(0.99),
        loader_cpu_share=cpu_share,
        answer=expected.decode(),
    )


def main(argv: list[str] | None = None) -> None:
    """Run the built-in load and print its :class:`LoadResult` as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("url")
    parser.add_argument("body", help="the JSON request body")
    parser.add_argument("--concurrency", type=int, default=Load.concurrency)
    parser.add_argument("--duration", type=float, default=Load.duration)
    parser.add_argument("--warmup", type=float, default=Load.warmup)
    parser.add_argument("--max-requests", type=int, default=Load.max_requests)
    parser.add_argument("--header", action="append", default=[], help="Name:value (repeat)")
    args = parser.parse_args(argv)
    headers = tuple((name, value) for name, _, value in (h.partition(":") for h in args.header))
    load = Load(args.concurrency, args.duration, args.warmup, args.max_requests, "builtin", headers)
    result = asyncio.run(measure(args.url, args.body.encode(), load))
    print(json.dumps(asdict(result), ensure_ascii=False))


if __name__ == "__main__":
    main()
