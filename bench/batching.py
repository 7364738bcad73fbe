"""Batching: ``provinces { districts { population { total } } }``, upstream calls counted.

The gateway runs in-process with its connector cache on (the default TTL), the sandbox agencies
in a process of their own; the DOPA statistics agency's request log counts the calls. Its API
answers one district per call (no batch of districts), so the bar is one call per distinct
district (the newest month is looked up once for the whole batch: a few probes back from this
month), with at most the connector's ``concurrency`` in flight; and 0 calls when the query is
repeated within the cache TTL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from collections.abc import Mapping
from typing import Any

import httpx

from bench.sandbox_process import SandboxProcess
from gateway.app import create_app
from gateway.settings import SandboxMode, Settings

__all__ = ["BATCH_QUERY", "measure_batching", "run_batching", "sandbox_settings"]

BATCH_QUERY = "{ provinces { districts { code population { total } } } }"
AGENCY = "dopa_stat"
DISTRICT_CALL = "action%3D24%26"  # DOPA's "one district" action, inside the forwarded API URL


def sandbox_settings(database_url: str, urls: Mapping[str, str], **changes: Any) -> Settings:
    """Settings whose connectors point at a sandbox in another process; other fields as given."""
    base = Settings(
        database_url=database_url, sandbox=SandboxMode.NEVER, alerts_poll_seconds=3600.0
    )
    connectors = {
        name: dataclasses.replace(c, base_url=urls.get(name)) for name, c in base.connectors.items()
    }
    return dataclasses.replace(base, connectors=connectors, **changes)


async def _post(http: httpx.AsyncClient) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    answer = await http.post("/graphql", json={"query": BATCH_QUERY})
    body: dict[str, Any] = answer.json()
    return round((time.perf_counter() - started) * 1000, 2), body


def _answered(body: Mapping[str, Any]) -> tuple[int, int]:
    """Districts in the answer, and those of them with a population."""
    districts = [d for p in (body.get("data") or {}).get("provinces", []) for d in p["districts"]]
    return len(districts), sum(1 for d in districts if d["population"] is not None)


async def measure_batching(database_url: str, *, latency_ms: int = 0) -> dict[str, Any]:
    """The query twice over one app; the agency's calls counted after each."""
    async with SandboxProcess(database_url) as sandbox:
        settings = sandbox_settings(database_url, sandbox.urls)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            await sandbox.set_faults(AGENCY, {"latency_ms": latency_ms})
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://gateway", timeout=300
            ) as http:
                await sandbox.take_calls(AGENCY)
                first_ms, first = await _post(http)
                first_calls = await sandbox.take_calls(AGENCY)
                again_ms, again = await _post(http)
                again_calls = await sandbox.take_calls(AGENCY)
    districts, answered = _answered(first)
    by_district = sum(1 for url in first_calls if DISTRICT_CALL in url)
    concurrency = settings.connectors[AGENCY].concurrency
    return {
        "query": BATCH_QUERY,
        "agency_latency_ms": latency_ms,
        "districts": districts,
        "answered": answered,
        "calls_first": len(first_calls),
        "district_calls": by_district,
        "month_lookups": len(first_calls) - by_district,
        "distinct_calls_first": len(set(first_calls)),
        "concurrency": concurrency,
        # with at most `concurrency` calls in flight they cannot take less than this
        "bounded_floor_ms": math.ceil(len(first_calls) / concurrency) * latency_ms,
        "calls_repeated": len(again_calls),
        "first_ms": first_ms,
        "repeated_ms": again_ms,
        "error_codes": sorted({e["extensions"]["code"] for e in first.get("errors", [])}),
        "meets": by_district == districts == answered and not again_calls,
        "same_answer": first == again,
    }


def run_batching(database_url: str) -> dict[str, Any]:
    """:func:`measure_batching` from synchronous code."""
    return asyncio.run(measure_batching(database_url, latency_ms=20))
