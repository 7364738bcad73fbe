"""Fan-out, and one agency slow: a query over five connectors, timed against its upstreams.

The gateway runs in-process with its lifespan, the sandbox agencies in a process of their own
(``moi-gateway sandbox``: real HTTP on localhost, their work off the gateway's core), every
connector's cache off and no retries, so each run asks each agency once. The query asks
population (DOPA statistics), and water and power outages of a Nonthaburi subdistrict (MWA,
MEA) and of a Chiang Mai one (PWA, PEA): five agencies, one call each.

- fan-out: every agency answers after ``latency_ms`` (100 ms). The slowest upstream is the
  largest, over the five agencies, of the median time of the very calls the gateway made,
  replayed directly with aiohttp in the same run. Bar: total ≤ 1.1 × slowest + 5 ms.
- one agency slow: PEA answers after ``slow_ms`` while its connector times out after
  ``timeout_s``. Bar: the answer comes within the timeout + 10 %, the other four agencies'
  fields complete and PEA's field is null with ``UPSTREAM_TIMEOUT``.

Totals are the time of the whole ``POST /graphql`` inside the app (no socket), median of runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import statistics
import time
from collections.abc import Mapping
from typing import Any

import httpx

from bench.sandbox_process import SandboxProcess
from gateway.app import create_app
from gateway.connectors.config import ConnectorSettings
from gateway.settings import SandboxMode, Settings

__all__ = ["AGENCIES", "BAR_FANOUT", "BAR_SLOW", "FANOUT_QUERY", "measure_fanout"]

AGENCIES = ("dopa_stat", "mwa", "mea", "pwa", "pea")
BAR_FANOUT = (1.1, 5.0)  # total <= 1.1 * slowest + 5 ms
BAR_SLOW = 1.1  # total <= 1.1 * the slow connector's timeout
FANOUT_QUERY = """{
  nonthaburi: subdistrict(code: "120101") { waterOutages { id } powerOutages { id } }
  chiangMai: subdistrict(code: "500101") {
    waterOutages { id } powerOutages { id } population(period: "2025-09") { total }
  }
}"""
# Which agency answers each field of the query, for checking what completed.
FIELDS = {
    ("nonthaburi", "waterOutages"): "mwa",
    ("nonthaburi", "powerOutages"): "mea",
    ("chiangMai", "waterOutages"): "pwa",
    ("chiangMai", "powerOutages"): "pea",
    ("chiangMai", "population"): "dopa_stat",
}


def _settings(database_url: str, urls: Mapping[str, str], slow_timeout: float) -> Settings:
    base = Settings(
        database_url=database_url,
        sandbox=SandboxMode.NEVER,
        alerts_poll_seconds=3600.0,
        rate_limit_public=0,  # every run asks from one address
    )

    def tuned(name: str, connector: ConnectorSettings) -> ConnectorSettings:
        return dataclasses.replace(
            connector,
            base_url=urls.get(name),
            cache_ttl_seconds=0.0,
            stale_ttl_seconds=0.0,
            retries=0,
            breaker_failures=1_000_000,  # every slow run times out; none may open the circuit
            timeout_seconds=slow_timeout if name == "pea" else connector.timeout_seconds,
        )

    return dataclasses.replace(
        base, connectors={n: tuned(n, c) for n, c in base.connectors.items()}
    )


async def _post(http: httpx.AsyncClient) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    answer = await http.post("/graphql", json={"query": FANOUT_QUERY})
    elapsed = (time.perf_counter() - started) * 1000
    body: dict[str, Any] = answer.json()
    return elapsed, body


def _completed(body: Mapping[str, Any]) -> dict[str, bool]:
    data = body.get("data") or {}
    return {
        agency: (data.get(alias) or {}).get(field) is not None
        for (alias, field), agency in FIELDS.items()
    }


def _error_codes(body: Mapping[str, Any]) -> list[str]:
    return sorted(e.get("extensions", {}).get("code", "?") for e in body.get("errors", []))


async def _calls(sandbox: SandboxProcess) -> dict[str, list[str]]:
    """The URLs each agency was asked since the logs were last cleared."""
    return {name: await sandbox.take_calls(name) for name in AGENCIES}


async def _direct(
    sandbox: SandboxProcess, urls: Mapping[str, list[str]], runs: int
) -> dict[str, float]:
    """Median milliseconds of each agency's own call, asked directly."""
    medians: dict[str, float] = {}
    for name, asked in urls.items():
        times = []
        for _ in range(runs):
            for url in asked:
                started = time.perf_counter()
                async with sandbox.session.get(url) as response:
                    await response.read()
                times.append((time.perf_counter() - started) * 1000)
        medians[name] = round(statistics.median(times), 2)
    return medians


async def measure_fanout(
    database_url: str,
    *,
    runs: int = 9,
    latency_ms: int = 100,
    slow_ms: int = 2000,
    timeout_s: float = 0.5,
) -> dict[str, Any]:
    """Both measurements over one app; every figure behind the two ratios."""
    async with SandboxProcess(database_url) as sandbox:
        app = create_app(_settings(database_url, sandbox.urls, timeout_s))
        async with app.router.lifespan_context(app):
            # start-up reads the service points in the background, mapping some 60,000 of
            # them on this loop: done first, so no run waits behind it (PEA's timeout is short)
            await app.state.resources.service_points.read_once()
            for name in AGENCIES:
                await sandbox.set_faults(name, {"latency_ms": latency_ms})
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://gateway", timeout=30
            ) as http:
                await _post(http)  # warm: connections, the registry view, the documents
                await _calls(sandbox)
                fanout = [await _post(http) for _ in range(runs)]
                per_run = {n: len(u) // runs for n, u in (await _calls(sandbox)).items()}
                await _post(http)
                direct = await _direct(sandbox, await _calls(sandbox), runs)
                await sandbox.set_faults("pea", {"latency_ms": slow_ms})
                slow = [await _post(http) for _ in range(runs)]
    return _report(fanout, per_run, direct, slow, latency_ms, slow_ms, timeout_s)


def _report(
    fanout: list[tuple[float, dict[str, Any]]],
    per_run: dict[str, int],
    direct: dict[str, float],
    slow: list[tuple[float, dict[str, Any]]],
    latency_ms: int,
    slow_ms: int,
    timeout_s: float,
) -> dict[str, Any]:
    total = round(statistics.median(t for t, _ in fanout), 2)
    slowest = max(direct.values())
    factor, extra = BAR_FANOUT
    slow_total = round(statistics.median(t for t, _ in slow), 2)
    last_slow = slow[-1][1]
    return {
        "query": " ".join(FANOUT_QUERY.split()),
        "runs": len(fanout),
        "latency_ms": latency_ms,
        "fanout": {
            "total_ms": total,
            "totals_ms": [round(t, 2) for t, _ in fanout],
            "upstream_ms": direct,
            "slowest_upstream_ms": slowest,
            "calls_per_run": per_run,
            "limit_ms": round(factor * slowest + extra, 2),
            "ratio": round(total / slowest, 3),
            "meets": total <= factor * slowest + extra,
            "completed": _completed(fanout[-1][1]),
            "error_codes": _error_codes(fanout[-1][1]),
        },
        "slow": {
            "agency": "pea",
            "answers_after_ms": slow_ms,
            "timeout_ms": timeout_s * 1000,
            "total_ms": slow_total,
            "totals_ms": [round(t, 2) for t, _ in slow],
            "limit_ms": round(BAR_SLOW * timeout_s * 1000, 2),
            "ratio": round(slow_total / (timeout_s * 1000), 3),
            "meets": slow_total <= BAR_SLOW * timeout_s * 1000,
            "completed": _completed(last_slow),
            "error_codes": _error_codes(last_slow),
        },
    }


def run_fanout(database_url: str, runs: int) -> dict[str, Any]:
    """:func:`measure_fanout` from synchronous code."""
    return asyncio.run(measure_fanout(database_url, runs=runs))
