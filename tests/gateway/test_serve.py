"""A real ``moi-gateway serve`` process: SIGTERM lets the request in flight finish, and with
``--workers 2`` one scrape of /metrics counts the requests every worker answered and each
JSON log line of a request carries its id."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.servers import free_port
from central_codes.snapshot import Snapshot
from sandbox.data import SandboxData
from sandbox.server import AGENCIES, Sandbox

SLOW_MS = 1500
POPULATION = '{ district(code: "8405") { population { total } } }'
SMALL = 'query Small { subdistrict(code: "840503") { nameTh } }'


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file with the registry loaded by ``moi-gateway registry load``."""
    url = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'gateway.sqlite3'}"
    environ = {**_clean_environ(), "GATEWAY_DATABASE_URL": url}
    done = os.spawnve(os.P_WAIT, _command(), [_command(), "registry", "load"], environ)
    assert done == 0
    return url


@pytest.fixture
async def slow_dopa(snapshot: Snapshot) -> AsyncIterator[Sandbox]:
    """The sandbox DOPA statistics agency answering after :data:`SLOW_MS`."""
    sandbox = Sandbox(SandboxData(snapshot), [a for a in AGENCIES() if a.name == "dopa_stat"])
    await sandbox.start()
    sandbox.state.set_faults("dopa_stat", {"latency_ms": SLOW_MS})
    yield sandbox
    await sandbox.stop()


def _command() -> str:
    return str(Path(sys.executable).with_name("moi-gateway"))


def _clean_environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}


async def _serve(
    database: str, dopa_url: str, workers: int, log: Path, **settings: str
) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    environ = {
        **_clean_environ(),
        **settings,
        "GATEWAY_DATABASE_URL": database,
        "GATEWAY_CONNECTOR_DOPA_STAT_URL": dopa_url,
    }
    with log.open("wb") as lines:
        process = await asyncio.create_subprocess_exec(
            _command(), "serve", "--port", str(port), "--workers", str(workers),
            env=environ, stdout=lines, stderr=lines,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        for _ in range(1200):
            try:
                async with session.get(f"{base}/readyz") as answer:
                    if answer.status == 200:
                        return process, base
            except aiohttp.ClientError:
                pass
            assert process.returncode is None, "serve ended before it was ready"
            await asyncio.sleep(0.1)
    process.kill()
    raise AssertionError("serve did not become ready")


@pytest.mark.parametrize("workers", [1, 2])
async def test_sigterm_lets_the_request_in_flight_finish(
    database: str, slow_dopa: Sandbox, workers: int, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    process, base = await _serve(database, slow_dopa.urls["dopa_stat"], workers, log)
    asked = slow_dopa.state.agency("dopa_stat").requests
    async with aiohttp.ClientSession() as session:
        in_flight = asyncio.create_task(session.post(f"{base}/graphql", json={"query": POPULATION}))
        for _ in range(1200):  # until the request is waiting on the slow agency
            if asked:
                break
            await asyncio.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        answer = await in_flight
        body = await answer.json()
        assert answer.status == 200
        assert body["data"]["district"]["population"]["total"] > 0
        assert "errors" not in body
        # uvicorn ends by raising the signal it caught again, as a process manager expects
        assert await asyncio.wait_for(process.wait(), 60) in (0, -signal.SIGTERM)
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"{base}/healthz")
    assert log.read_text().count("shutting down: outbox flushed") == workers


async def test_metrics_of_every_worker_in_one_scrape(
    database: str, slow_dopa: Sandbox, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    dopa = slow_dopa.urls["dopa_stat"]
    process, base = await _serve(database, dopa, 2, log, GATEWAY_LOG_FORMAT="json")
    try:
        async with aiohttp.ClientSession() as session:
            for n in range(20):  # new connections, so the kernel spreads them over the workers
                headers = {"Connection": "close", "X-Request-Id": f"probe-{n}"}
                url = f"{base}/graphql?query={quote(SMALL)}"
                async with session.get(url, headers=headers) as answer:
                    assert answer.status == 200
            async with session.get(f"{base}/metrics") as answer:
                text = await answer.text()
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)
    samples = [s for family in text_string_to_metric_families(text) for s in family.samples]
    small = [
        s.value
        for s in samples
        if s.name == "moi_gateway_requests_total" and s.labels["operation"] == "Small"
    ]
    assert sum(small) == 20
    circuits = [s for s in samples if s.name == "moi_gateway_connector_circuit_state"]
    assert {s.labels["connector"] for s in circuits} >= {"dopa_stat"}
    assert all("pid" in s.labels for s in circuits)  # the multiprocess directory is in use
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = {
        line["request_id"]: line["message"] for line in lines if line["logger"] == "uvicorn.access"
    }
    assert set(access) >= {f"probe-{n}" for n in range(20)}
    assert all("?" not in access[f"probe-{n}"] for n in range(20))  # no query string
