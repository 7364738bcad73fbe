"""Memory: the resident size of ``moi-gateway serve`` once it is ready, against 250 MB.

The gateway runs as it would in production: no in-process sandbox; the agencies (the sandbox,
in a process of its own) are elsewhere. Measured once ``/readyz`` answers 200 and the
service-point index holds CITIZENinfo's whole export (about 60,000 points), and again after
it has served the whole-country tree once (its answer is then held in the response cache).
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.registry_data import TREE_QUERY
from bench.sandbox_process import SandboxProcess
from bench.servers import ServerProcess

__all__ = ["BAR_MB", "measure_memory", "run_memory"]

BAR_MB = 250.0
_MB = 2**20
# answered without errors only once the whole export has been read and indexed
PROBE = "{ servicePointsNear(lat: 13.7563, lon: 100.5018, radiusKm: 100, first: 1) { distanceKm } }"
COUNT = "{ provinces { servicePoints(first: 1) { totalCount } } }"


def _post(url: str, query: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        body = answer.read()
    found: dict[str, Any] = json.loads(body)
    return len(body), found


def _wait_for_points(url: str, attempts: int = 600) -> int:
    """Ask until the index answers; the number of times it was asked."""
    for attempt in range(1, attempts + 1):
        _, body = _post(url, PROBE)
        if not body.get("errors") and body["data"]["servicePointsNear"]:
            return attempt
        time.sleep(0.5)
    raise RuntimeError(f"the service points were not indexed: {body.get('errors')}")


async def measure_memory(database_url: str, log_dir: Path) -> dict[str, Any]:
    """RSS of a ready gateway with its service points indexed, and after one whole tree."""
    async with SandboxProcess(database_url) as sandbox:
        environment = {
            "GATEWAY_SANDBOX": "never",
            "GATEWAY_RATE_LIMIT_PUBLIC": "0",
            "GATEWAY_CONNECTOR_CITIZENINFO_URL": sandbox.urls["citizeninfo"],
        }
        with ServerProcess("serve", database_url, log_dir, environment=environment) as server:
            ready = server.rss_bytes()
            probes = await asyncio.to_thread(_wait_for_points, server.url)
            indexed = server.rss_bytes()
            _, counted = await asyncio.to_thread(_post, server.url, COUNT)
            tree_bytes, _ = await asyncio.to_thread(_post, server.url, TREE_QUERY)
            after_tree = server.rss_bytes()
    if ready is None or indexed is None or after_tree is None:
        raise RuntimeError("resident memory is read from /proc, which this platform lacks")
    return {
        "rss_mb_ready": round(ready / _MB, 1),
        "rss_mb_with_service_points": round(indexed / _MB, 1),
        "rss_mb_after_tree": round(after_tree / _MB, 1),
        "probes_until_indexed": probes,
        "service_points": sum(
            p["servicePoints"]["totalCount"] for p in counted["data"]["provinces"]
        ),
        "tree_bytes": tree_bytes,
        "bar_mb": BAR_MB,
        "ratio": round(after_tree / _MB / BAR_MB, 3),
        "meets": after_tree / _MB <= BAR_MB,
    }


def run_memory(database_url: str, log_dir: Path) -> dict[str, Any]:
    """:func:`measure_memory` from synchronous code."""
    return asyncio.run(measure_memory(database_url, log_dir))
