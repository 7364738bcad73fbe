"""Registry throughput: the small query over HTTP, gateway against the floor, in one run.

Three servers in their own processes (the floor, the gateway, the gateway with its response
cache off), one uvicorn worker each, all over the same registry file. Each round loads every
server in turn with the same tool, concurrency and duration; the order rotates between
rounds so drift on a shared machine falls on all of them alike.
"""

from __future__ import annotations

import asyncio
import statistics
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from bench.load import Load, LoadResult, run_load
from bench.registry_data import SMALL_QUERY
from bench.servers import ServerProcess
from central_codes.database import create_engine
from gateway.access import API_KEY_HEADER, KeyStore, Tier

__all__ = ["BAR", "TARGETS", "issue_key", "measure_registry"]

BAR = 1.0  # the gateway should answer at least as many requests per second as the floor
# name -> (server kind, response cache size)
TARGETS = {
    "floor": ("floor", 0),
    "gateway": ("gateway", 1000),
    "gateway_no_response_cache": ("gateway", 0),
}


@dataclass
class _Totals:
    """One target's runs across rounds."""

    runs: list[LoadResult] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    def add(self, result: LoadResult, before: float | None, after: float | None) -> None:
        self.runs.append(result)
        if before is not None and after is not None:
            self.cpu_seconds.append(after - before)

    def summary(self) -> dict[str, Any]:
        requests = sum(r.requests for r in self.runs)
        errors = sum(r.errors for r in self.runs)
        seconds = sum(r.seconds for r in self.runs)
        ok = requests - errors
        return {
            "requests": requests,
            "errors": errors,
            "seconds": round(seconds, 3),
            "rps": round(ok / seconds, 1) if seconds else 0.0,
            "rps_per_round": [round(r.rps, 1) for r in self.runs],
            "p50_ms": _median(r.p50_ms for r in self.runs),
            "p99_ms": _median(r.p99_ms for r in self.runs),
            "server_cpu_ms_per_request": _per_request(self.cpu_seconds, ok, len(self.runs)),
            "loader_cpu_share": _median(r.loader_cpu_share for r in self.runs),
        }


def _median(values: Any) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 3) if known else None


def _per_request(cpu: list[float], ok: int, runs: int) -> float | None:
    if len(cpu) != runs or ok == 0:
        return None  # no /proc here
    return round(sum(cpu) * 1000 / ok, 4)


def measure_registry(
    database_url: str, log_dir: Path, load: Load, rounds: int = 3
) -> dict[str, Any]:
    """Load every target ``rounds`` times; requests/s of each and the gateway/floor ratios.

    Every request carries a partner's API key, so the gateway authenticates each one (the
    floor ignores it); operation limits and the audit trail are on, as they always are.
    """
    body = orjson.dumps({"query": SMALL_QUERY})
    load = replace(load, headers=((API_KEY_HEADER, asyncio.run(issue_key(database_url))),))
    totals = {name: _Totals() for name in TARGETS}
    with ExitStack() as stack:
        servers = {
            name: stack.enter_context(
                ServerProcess(kind, database_url, log_dir, response_cache_size=cache)
            )
            for name, (kind, cache) in TARGETS.items()
        }
        for server in servers.values():  # none loaded while another still starts up
            server.wait_idle()
        names = list(TARGETS)
        for turn in range(rounds):
            for name in names[turn % len(names) :] + names[: turn % len(names)]:
                _measure(servers[name], body, load, totals[name])
    return _report(totals, load, rounds)


async def issue_key(database_url: str) -> str:
    """A partner key whose budget the load cannot spend, issued in the benchmark's database."""
    engine = create_engine(database_url)
    try:
        key, _ = await KeyStore(engine).issue("bench", Tier.PARTNER, ["partner"], 10**9)
    finally:
        await engine.dispose()
    return key


def _measure(server: ServerProcess, body: bytes, load: Load, totals: _Totals) -> None:
    """Warm up in a run of its own, so the server's CPU time is read around the measured one."""
    if load.warmup > 0:
        run_load(server.url, body, replace(load, duration=load.warmup, warmup=0))
    before = server.cpu_seconds()
    result = run_load(server.url, body, replace(load, warmup=0))
    totals.add(result, before, server.cpu_seconds())


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return round(numerator / denominator, 3) if numerator and denominator else None


def _report(totals: dict[str, _Totals], load: Load, rounds: int) -> dict[str, Any]:
    targets = {name: t.summary() for name, t in totals.items()}
    floor, floor_runs = targets["floor"], totals["floor"].runs
    others = [name for name in targets if name != "floor"]
    answers = {r.answer for t in totals.values() for r in t.runs}
    return {
        "query": SMALL_QUERY,
        "load_tool": load.chosen_tool(),
        "concurrency": load.concurrency,
        "caller": "partner API key (X-API-Key), operation limits and audit trail on",
        "duration_s": load.duration,
        "warmup_s": load.warmup,
        "rounds": rounds,
        "same_answer": len(answers) == 1,
        "targets": targets,
        # requests/s of all rounds together, over the floor's
        "ratios": {f"{n}/floor": _ratio(targets[n]["rps"], floor["rps"]) for n in others},
        # the same ratio within each round: less swayed by a neighbour's burst in one round
        "ratios_per_round": {
            f"{n}/floor": [
                _ratio(r.rps, f.rps) for r, f in zip(totals[n].runs, floor_runs, strict=True)
            ]
            for n in others
        },
        # the floor's server CPU per request over the target's: requests/s per core, had the
        # server a core of its own (the loader shares this machine)
        "cpu_ratios": {
            f"{n}/floor": _ratio(
                floor["server_cpu_ms_per_request"], targets[n]["server_cpu_ms_per_request"]
            )
            for n in others
        },
        "bar": BAR,
    }
