"""Load and faults: concurrent clients for a fixed time while sandbox agencies fail and recover.

``moi-gateway serve`` runs in a process of its own, pointed at the sandbox agencies in another
(``moi-gateway sandbox``); the clients run here. Each client sends one query after another,
picked at random from a mix (a registry lookup, a district's population, a subdistrict's water
and power outages, and all three at once) over random areas, so the connector caches keep
missing. The run is cut into phases; in each, some agencies misbehave through the sandbox's
admin API, and in the last every fault is cleared so the agencies recover.

Reported: requests served, HTTP statuses, error codes seen, p50 and p99 latency, whole
requests answered 5xx, and the gateway's resident memory after a warm-up and at the end.
Bars: no 5xx, memory growth under 10 %.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.registry_data import snapshot_of
from bench.sandbox_process import SandboxProcess
from bench.servers import ServerProcess

__all__ = ["MAX_GROWTH", "PHASES", "measure_faults", "run_faults"]

MAX_GROWTH = 0.10
AGENCIES = ("dopa_stat", "mwa", "mea", "pwa", "pea")
# each phase's faults, applied on top of a clean slate; the last phase is the recovery
PHASES: tuple[tuple[str, dict[str, dict[str, Any]]], ...] = (
    ("healthy", {}),
    ("dopa_stat down", {"dopa_stat": {"down": True}}),
    ("mwa and mea fail half their requests", {"mwa": {"error_rate": 0.5, "status": 503}, "mea": {"error_rate": 0.5, "status": 500}}),
    ("pea slower than its timeout, pwa drops connections", {"pea": {"latency_ms": 3000}, "pwa": {"drop": True}}),
    ("firewall page and truncated bodies", {"dopa_stat": {"html_block": True}, "mwa": {"malformed": True}}),
    ("recovered", {}),
)  # fmt: skip
REGISTRY = "query Registry($c: ID!) { subdistrict(code: $c) { nameTh district { nameTh province { nameEn } } } }"
POPULATION = "query Population($d: ID!) { district(code: $d) { population { total } } }"
OUTAGES = (
    "query Outages($c: ID!) { subdistrict(code: $c) { waterOutages { id } powerOutages { id } } }"
)
EVERYTHING = """query Everything($c: ID!, $d: ID!) {
  subdistrict(code: $c) { nameTh waterOutages { id } powerOutages { id } }
  district(code: $d) { population { total } }
}"""


@dataclass
class _Tally:
    """What the clients saw (in one phase, or in all)."""

    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)  # no HTTP answer at all

    def percentile_ms(self, share: float) -> float | None:
        ordered = sorted(self.latencies)
        return (
            round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 2)
            if ordered
            else None
        )

    def add(self, other: _Tally) -> None:
        self.statuses.update(other.statuses)
        self.codes.update(other.codes)
        self.latencies += other.latencies
        self.failures.update(other.failures)

    def summary(self) -> dict[str, Any]:
        return {
            "served": sum(self.statuses.values()),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "error_codes": dict(self.codes.most_common()),
            "no_answer": dict(self.failures),
            "p50_ms": self.percentile_ms(0.50),
            "p99_ms": self.percentile_ms(0.99),
        }


class _Phases:
    """One tally per phase; clients count into the phase running when their answer came."""

    def __init__(self) -> None:
        self.tallies = [_Tally() for _ in PHASES]
        self.current = 0

    @property
    def tally(self) -> _Tally:
        return self.tallies[self.current]


def _pick(rng: random.Random, codes: list[str]) -> dict[str, Any]:
    code = rng.choice(codes)
    variables = {"c": code, "d": code[:4]}
    query = rng.choice((REGISTRY, POPULATION, OUTAGES, EVERYTHING))
    used = {k: v for k, v in variables.items() if f"${k}" in query}
    return {"query": query, "variables": used}


async def _client(
    session: aiohttp.ClientSession,
    url: str,
    codes: list[str],
    until: float,
    seed: int,
    phases: _Phases,
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            async with session.post(url, json=_pick(rng, codes)) as answer:
                body = await answer.json(content_type=None)
                status = answer.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            phases.tally.failures[type(error).__name__] += 1
            continue
        tally = phases.tally
        tally.statuses[status] += 1
        tally.latencies.append(time.perf_counter() - started)
        for shown in body.get("errors") or ():
            tally.codes[(shown.get("extensions") or {}).get("code", "?")] += 1


async def _run_phases(
    sandbox: SandboxProcess, seconds: float, server: ServerProcess, phases: _Phases, rss: list[int]
) -> None:
    for number, (_name, faults) in enumerate(PHASES):
        for agency in AGENCIES:
            await sandbox.clear_faults(agency)
        for agency, fault in faults.items():
            await sandbox.set_faults(agency, fault)
        phases.current = number
        await asyncio.sleep(seconds)
        rss.append(server.rss_bytes() or 0)


async def _load(url: str, codes: list[str], clients: int, seconds: float, phases: _Phases) -> None:
    until = time.monotonic() + seconds
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=aiohttp.TCPConnector(limit=clients)
    ) as session:
        await asyncio.gather(
            *(_client(session, url, codes, until, n, phases) for n in range(clients))
        )


def _connector_environment(
    urls: dict[str, str], timeout_s: float, cooldown_s: float
) -> dict[str, str]:
    environment = {
        "GATEWAY_SANDBOX": "never",
        "GATEWAY_ALERTS_POLL_SECONDS": "3600",
        "GATEWAY_RATE_LIMIT_PUBLIC": "0",  # every client asks from one address
    }
    for name, url in urls.items():
        prefix = f"GATEWAY_CONNECTOR_{name.upper()}_"
        environment[prefix + "URL"] = url
        environment[prefix + "TIMEOUT_SECONDS"] = str(timeout_s)
        environment[prefix + "BREAKER_COOLDOWN_SECONDS"] = str(cooldown_s)
    return environment


async def measure_faults(
    database_url: str,
    log_dir: Path,
    *,
    duration: float = 60.0,
    warmup: float = 20.0,
    clients: int = 16,
    timeout_s: float = 2.0,
    cooldown_s: float = 3.0,
) -> dict[str, Any]:
    """Warm up healthy, then run the phases for ``duration`` seconds in all; every figure.

    Connectors time out after ``timeout_s`` and their circuits probe again after
    ``cooldown_s``, so that recovery shows within a phase.
    """
    snapshot = await snapshot_of(database_url)
    codes = sorted(s.code for subs in snapshot.subdistricts_by_province.values() for s in subs)
    async with SandboxProcess(database_url) as sandbox:
        environment = _connector_environment(sandbox.urls, timeout_s, cooldown_s)
        with ServerProcess("serve", database_url, log_dir, environment=environment) as server:
            started_rss = server.rss_bytes() or 0
            await _load(server.url, codes, clients, warmup, _Phases())
            rss, phases = [server.rss_bytes() or 0], _Phases()
            await asyncio.gather(
                _load(server.url, codes, clients, duration, phases),
                _run_phases(sandbox, duration / len(PHASES), server, phases, rss),
            )
            scraped = await _scrape(server.url.removesuffix("/graphql") + "/metrics")
    return _report(phases, rss, started_rss, duration, warmup, clients, scraped)


async def _scrape(url: str) -> dict[str, float]:
    """The gateway's own count of requests by status, from /metrics."""
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        text = await answer.text()
    counted: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("moi_gateway_requests_total{"):
            status = line.split('status="', 1)[1].split('"', 1)[0]
            counted[status] = counted.get(status, 0.0) + float(line.rsplit(" ", 1)[1])
    return counted


def _report(
    phases: _Phases,
    rss: list[int],
    started_rss: int,
    duration: float,
    warmup: float,
    clients: int,
    scraped: dict[str, float],
) -> dict[str, Any]:
    total = _Tally()
    for tally in phases.tallies:
        total.add(tally)
    served = sum(total.statuses.values())
    five_xx = sum(n for status, n in total.statuses.items() if status >= 500)
    growth = (rss[-1] - rss[0]) / rss[0] if rss[0] else None
    return {
        "duration_s": duration,
        "warmup_s": warmup,
        "clients": clients,
        **total.summary(),
        "requests_per_s": round(served / duration, 1),
        "http_5xx": five_xx,
        "mean_ms": round(statistics.fmean(total.latencies) * 1000, 2) if total.latencies else None,
        "phases": {
            name: tally.summary() for (name, _), tally in zip(PHASES, phases.tallies, strict=True)
        },
        "rss_mb_at_start": round(started_rss / 2**20, 1),
        "rss_mb_after_warmup_and_each_phase": [round(r / 2**20, 1) for r in rss],
        "memory_growth": None if growth is None else round(growth, 4),
        "memory_growth_from_start": round((rss[-1] - started_rss) / started_rss, 4)
        if started_rss
        else None,
        "gateway_counted_by_status": scraped,
        "meets": five_xx == 0 and not total.failures and growth is not None and growth < MAX_GROWTH,
    }


def run_faults(database_url: str, log_dir: Path, duration: float, clients: int) -> dict[str, Any]:
    """:func:`measure_faults` from synchronous code."""
    return asyncio.run(measure_faults(database_url, log_dir, duration=duration, clients=clients))
