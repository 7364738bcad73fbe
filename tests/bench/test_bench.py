"""The benchmarks in a tiny configuration: their reports hold every figure, counted, not timed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from uvicorn.config import Config
from uvicorn.lifespan.on import LifespanOn

from bench.__main__ import (
    format_batching,
    format_fanout,
    format_faults,
    format_instructions,
    format_memory,
    format_registry,
    format_tree,
)
from bench.batching import measure_batching
from bench.fanout import AGENCIES, measure_fanout
from bench.faults import PHASES, measure_faults
from bench.instructions import count_instructions, drive, http_request
from bench.load import Load
from bench.memory import measure_memory
from bench.registry_data import prepare_registry, snapshot_of
from bench.registry_throughput import TARGETS, issue_key, measure_registry
from bench.servers import KINDS, ServerProcess, build_app
from bench.tree import measure_tree
from bench.wrk import parse_wrk
from central_codes.database import create_engine
from gateway.audit import AuditRow

WRK_REPORT = """\
Running 5s test @ http://127.0.0.1:8000/graphql
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.21ms    1.02ms  20.11ms   91.00%
    Req/Sec     3.48k   120.00     3.70k    80.00%
  Latency Distribution
     50%    9.05ms
     75%    9.40ms
     90%   10.01ms
     99%  850.00us
  17412 requests in 5.00s, 4.95MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   3481.58
Transfer/sec:      0.99MB
"""


@pytest.fixture(scope="module")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One registry file for the module's benchmarks."""
    return await prepare_registry(tmp_path_factory.mktemp("bench"))


def test_registry_throughput_reports_every_server(database_url: str, tmp_path: Path) -> None:
    load = Load(concurrency=2, duration=1.0, warmup=0.2, tool="builtin")
    report = measure_registry(database_url, tmp_path, load, rounds=1)
    assert report["same_answer"] is True
    assert set(report["targets"]) == set(TARGETS)
    for figures in report["targets"].values():
        assert figures["requests"] > 0
        assert figures["errors"] == 0
        assert figures["rps"] > 0
        assert len(figures["rps_per_round"]) == 1
    assert set(report["ratios"]) == {"gateway/floor", "gateway_no_response_cache/floor"}
    assert all(ratio > 0 for ratio in report["ratios"].values())
    assert all(len(ratios) == 1 for ratios in report["ratios_per_round"].values())
    assert "ratio gateway/floor" in format_registry(report)
    # every gateway request was authenticated by the bench's partner key, and audited
    assert asyncio.run(_audited_tiers(database_url)) == {"partner"}


async def _audited_tiers(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        tiers = set((await connection.scalars(select(AuditRow.tier).distinct())).all())
    await engine.dispose()
    return tiers


async def test_tree_reports_every_way_of_answering(database_url: str) -> None:
    report = await measure_tree(database_url, runs=1)
    snapshot = await snapshot_of(database_url)
    districts = sum(len(snapshot.children(p.code)) for p in snapshot.provinces)
    subdistricts = sum(len(v) for v in snapshot.subdistricts_by_province.values())
    # "provinces", each province's "districts", each district's "subdistricts", 4 per subdistrict
    assert report["fields"] == 1 + len(snapshot.provinces) + districts + 4 * subdistricts
    assert report["same_answer"] is True
    assert set(report["timings"]) == {
        "floor",
        "gateway_first",
        "gateway_warm",
        "gateway_cold_view",
        "release_preparation",
        "gateway_http_first",
        "gateway_cached",
    }
    assert set(report["ratios"]) == {
        "gateway_first/floor",
        "gateway_warm/floor",
        "gateway_cold_view/floor",
    }
    assert "repeated within a release" in format_tree(report)


def test_wrk_report_is_read_with_its_units() -> None:
    figures = parse_wrk(WRK_REPORT)
    assert figures["requests"] == 17412
    assert figures["errors"] == 3
    assert figures["seconds"] == pytest.approx(5.0)
    assert figures["p50_ms"] == pytest.approx(9.05)
    assert figures["p99_ms"] == pytest.approx(0.85)


def test_text_that_is_not_a_wrk_report_is_refused() -> None:
    with pytest.raises(ValueError, match="not a wrk report"):
        parse_wrk("connection refused")


def test_auto_falls_back_to_the_builtin_loader_without_wrk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert Load(tool="auto").chosen_tool() == "builtin"


async def test_fanout_asks_each_agency_once_and_survives_a_slow_one(database_url: str) -> None:
    report = await measure_fanout(database_url, runs=1, latency_ms=20, slow_ms=1000, timeout_s=0.2)
    fan, slow = report["fanout"], report["slow"]
    assert fan["calls_per_run"] == dict.fromkeys(AGENCIES, 1)
    assert fan["completed"] == dict.fromkeys(AGENCIES, True)
    assert fan["error_codes"] == []
    assert set(fan["upstream_ms"]) == set(AGENCIES)
    assert slow["completed"] == {**dict.fromkeys(AGENCIES, True), "pea": False}
    assert slow["error_codes"] == ["UPSTREAM_TIMEOUT"]
    assert "fan-out" in format_fanout(report)


async def test_batching_counts_one_call_per_district_and_none_repeated(database_url: str) -> None:
    report = await measure_batching(database_url)
    snapshot = await snapshot_of(database_url)
    districts = sum(len(snapshot.children(p.code)) for p in snapshot.provinces)
    assert report["districts"] == report["answered"] == report["district_calls"] == districts
    assert report["calls_first"] == districts + report["month_lookups"]
    assert report["distinct_calls_first"] == report["calls_first"]
    assert report["calls_repeated"] == 0
    assert report["same_answer"] is True
    assert report["meets"] is True
    assert "batching" in format_batching(report)


async def test_memory_reads_the_resident_size_with_the_service_points_indexed(
    database_url: str, tmp_path: Path
) -> None:
    report = await measure_memory(database_url, tmp_path)
    assert report["rss_mb_ready"] > 0
    assert report["probes_until_indexed"] >= 1
    assert report["service_points"] > 0
    assert report["tree_bytes"] > 0
    assert "with every service point indexed" in format_memory(report)


async def test_faults_run_counts_every_answer_in_its_phase(
    database_url: str, tmp_path: Path
) -> None:
    report = await measure_faults(
        database_url, tmp_path, duration=3.0, warmup=0.5, clients=2, timeout_s=0.5
    )
    assert list(report["phases"]) == [name for name, _ in PHASES]
    assert report["served"] == sum(p["served"] for p in report["phases"].values()) > 0
    assert sum(report["statuses"].values()) == report["served"]
    assert report["http_5xx"] == 0
    assert len(report["rss_mb_after_warmup_and_each_phase"]) == len(PHASES) + 1
    # the gateway counted at least what the clients were answered during the phases
    assert sum(report["gateway_counted_by_status"].values()) >= report["served"]
    assert "load and faults" in format_faults(report)


def test_the_counted_requests_are_answered_alike_through_uvicorn(database_url: str) -> None:
    """What the instruction count drives: the same answer from the floor and the gateway, each
    request through uvicorn's own HTTP/1.1 protocol, a partner's key accepted."""
    request = http_request(asyncio.run(issue_key(database_url)))
    bodies = []
    for kind in KINDS:
        config = Config(build_app(kind, database_url, 1000), log_level="warning", http="h11")
        config.load()
        answers = asyncio.run(_answers(config, request))
        assert all(a.startswith(b"HTTP/1.1 200 ") for a in answers)
        bodies.append({a.partition(b"\r\n\r\n")[2] for a in answers})
    assert bodies[0] == bodies[1]
    assert "เกาะเต่า" in next(iter(bodies[0])).decode()


async def _answers(config: Config, request: bytes) -> list[bytes]:
    """The last answer on each of two connections sending ``request`` three times."""
    lifespan = LifespanOn(config)
    await lifespan.startup()
    try:
        return await asyncio.gather(*(drive(config, lifespan.state, request, 3) for _ in "ab"))
    finally:
        await lifespan.shutdown()


def test_instructions_are_not_counted_without_valgrind(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bench.instructions.shutil.which", lambda _name: None)
    report = count_instructions(database_url, tmp_path, 64)
    assert "valgrind" in report["error"]
    assert "not counted" in format_instructions(report)


def test_instruction_counts_read_as_a_ratio() -> None:
    report = {
        "requests": 3200,
        "instructions_per_request": {"floor": 1_125_590, "gateway": 1_079_747},
        "floor/gateway": 1.042,
    }
    assert "floor 1,125,590, gateway 1,079,747; floor/gateway 1.042" in format_instructions(report)


def _burning(seconds: list[float]) -> ServerProcess:
    """A server (never started) whose CPU time reads as ``seconds``, one reading after another."""
    server = ServerProcess("floor", "sqlite://", Path("."))
    readings = iter(seconds)
    server.cpu_seconds = lambda: next(readings)  # type: ignore[method-assign]
    return server


def test_a_server_is_idle_once_its_cpu_time_stops_growing() -> None:
    server = _burning([1.0, 1.4, 1.8, 1.81, 9.0])  # busy, busy, then 0.01 s in half a second
    server.wait_idle(timeout=10.0)
    assert server.cpu_seconds() == 9.0  # it stopped reading at the idle one


def test_a_server_still_busy_at_the_deadline_is_an_error() -> None:
    server = _burning([float(n) for n in range(100)])  # a whole core, always
    with pytest.raises(RuntimeError, match="still busy"):
        server.wait_idle(timeout=1.0)
