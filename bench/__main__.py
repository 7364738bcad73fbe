"""``python -m bench [all|registry|tree|fanout|batching|memory|faults|instructions]``: run the
benchmarks, print ratios and bars and the figures behind them (``instructions`` needs valgrind
and is not part of ``all``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bench.batching import run_batching
from bench.fanout import run_fanout
from bench.faults import MAX_GROWTH, run_faults
from bench.instructions import count_instructions
from bench.load import Load
from bench.memory import run_memory
from bench.registry_data import prepare_registry
from bench.registry_throughput import measure_registry
from bench.tree import run_tree

__all__ = [
    "format_batching",
    "format_fanout",
    "format_faults",
    "format_instructions",
    "format_memory",
    "format_registry",
    "format_tree",
    "main",
]
WHICH = ("all", "registry", "tree", "fanout", "batching", "memory", "faults", "instructions")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("which", nargs="?", choices=WHICH, default="all")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load run")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per run")
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--rounds", type=int, default=3, help="load runs per server")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="per load run")
    parser.add_argument("--tool", choices=("auto", "wrk", "builtin"), default="auto")
    parser.add_argument(
        "--runs", type=int, default=15, help="runs of each tree and fan-out measurement"
    )
    parser.add_argument(
        "--faults-duration", type=float, default=60.0, help="seconds of the load-and-faults run"
    )
    parser.add_argument("--faults-clients", type=int, default=16, help="its concurrent clients")
    parser.add_argument(
        "--requests", type=int, default=3200, help="requests counted by `instructions`"
    )
    parser.add_argument("--json", action="store_true", help="print the raw report as JSON too")
    return parser


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} ms"


def format_registry(report: dict[str, Any]) -> str:
    """The registry throughput report as lines of text."""
    lines = [
        "registry throughput: " + report["query"],
        f"  {report['load_tool']} load, {report['concurrency']} connections, "
        f"{report['rounds']} x {report['duration_s']} s per server, same answer from all: "
        f"{report['same_answer']}",
        f"  gateway callers: {report['caller']}",
    ]
    for name, t in report["targets"].items():
        lines.append(
            f"  {name:<27} {t['rps']:>8.1f} req/s  p50 {_ms(t['p50_ms'])}  p99 {_ms(t['p99_ms'])}"
            f"  server CPU {t['server_cpu_ms_per_request']} ms/req"
            f"  loader CPU share {t['loader_cpu_share']}"
            f"  ({t['requests']} requests, {t['errors']} errors, per round {t['rps_per_round']})"
        )
    for name, ratio in report["ratios"].items():
        verdict = "meets" if ratio is not None and ratio >= report["bar"] else "below"
        lines.append(
            f"  ratio {name}: {ratio} ({verdict} the bar {report['bar']});"
            f" per round {report['ratios_per_round'][name]};"
            f" by server CPU per request {report['cpu_ratios'][name]}"
        )
    return "\n".join(lines)


def format_tree(report: dict[str, Any]) -> str:
    """The whole-country tree report as lines of text."""
    lines = [
        "whole-country tree: " + report["query"],
        f"  {report['fields']} fields, {report['bytes']} bytes, median of {report['runs']} runs, "
        f"same answer from all: {report['same_answer']}",
    ]
    for name, t in report["timings"].items():
        lines.append(
            f"  {name:<20} median {t['median_ms']:>8.2f} ms  (min {t['min_ms']}, max {t['max_ms']})"
        )
    bar = report["bars"]["gateway_first/floor"]
    for name, ratio in report["ratios"].items():
        lines.append(
            f"  ratio {name}: {ratio} ({'meets' if ratio <= bar else 'above'} the bar {bar})"
        )
    cached = report["timings"]["gateway_cached"]["median_ms"]
    limit = report["bars"]["gateway_cached_ms"]
    lines.append(
        f"  repeated within a release: {cached} ms ({'meets' if cached <= limit else 'above'} the bar {limit} ms)"
    )
    return "\n".join(lines)


def format_fanout(report: dict[str, Any]) -> str:
    """The fan-out and one-agency-slow report as lines of text."""
    fan, slow = report["fanout"], report["slow"]
    upstream = ", ".join(f"{n} {ms} ms" for n, ms in fan["upstream_ms"].items())
    return "\n".join(
        [
            f"fan-out: five agencies, each answering after {report['latency_ms']} ms; "
            f"median of {report['runs']} runs",
            f"  upstream calls per run {fan['calls_per_run']}; each call asked directly: {upstream}",
            f"  total {fan['total_ms']} ms, slowest upstream {fan['slowest_upstream_ms']} ms, "
            f"ratio {fan['ratio']} ({'meets' if fan['meets'] else 'above'} the bar: "
            f"<= {fan['limit_ms']} ms = 1.1 x slowest + 5 ms); errors {fan['error_codes']}",
            f"one agency slow: {slow['agency']} answers after {slow['answers_after_ms']} ms, "
            f"its timeout {slow['timeout_ms']} ms",
            f"  total {slow['total_ms']} ms, ratio to the timeout {slow['ratio']} "
            f"({'meets' if slow['meets'] else 'above'} the bar: <= {slow['limit_ms']} ms); "
            f"fields completed {slow['completed']}; errors {slow['error_codes']}",
        ]
    )


def _meets(ok: bool) -> str:
    return "meets" if ok else "misses"


def format_batching(report: dict[str, Any]) -> str:
    """The batching report as lines of text."""
    calls, districts = report["district_calls"], report["districts"]
    return "\n".join(
        [
            "batching: " + report["query"],
            f"  DOPA statistics answers one district a call: {calls} district calls for "
            f"{districts} districts (ratio {round(calls / districts, 3)}, bar 1.0), "
            f"{report['month_lookups']} lookups of the newest month, at most "
            f"{report['concurrency']} in flight; first run {report['first_ms']} ms "
            f"(agency latency {report['agency_latency_ms']} ms, bounded floor "
            f"{report['bounded_floor_ms']} ms)",
            f"  repeated within the cache TTL: {report['calls_repeated']} calls (bar 0), "
            f"{report['repeated_ms']} ms, same answer {report['same_answer']}; "
            f"errors {report['error_codes']}: {_meets(report['meets'])} the bar",
        ]
    )


def format_memory(report: dict[str, Any]) -> str:
    """The memory report as lines of text."""
    return (
        f"memory: RSS of a ready gateway {report['rss_mb_ready']} MB, with every service point "
        f"indexed ({report['service_points']}) {report['rss_mb_with_service_points']} MB, after the whole-country tree "
        f"{report['rss_mb_after_tree']} MB; ratio {report['ratio']} of the bar "
        f"{report['bar_mb']} MB: {_meets(report['meets'])} it"
    )


def format_faults(report: dict[str, Any]) -> str:
    """The load-and-faults report as lines of text."""
    lines = [
        f"load and faults: {report['clients']} clients for {report['duration_s']} s "
        f"(after {report['warmup_s']} s of warm-up) while agencies fail and recover",
        f"  served {report['served']} ({report['requests_per_s']} req/s), statuses "
        f"{report['statuses']}, HTTP 5xx {report['http_5xx']} (bar 0), no answer "
        f"{report['no_answer']}; p50 {_ms(report['p50_ms'])}, p99 {_ms(report['p99_ms'])}",
        f"  error codes {report['error_codes']}",
    ]
    for name, phase in report["phases"].items():
        lines.append(
            f"    {name}: {phase['served']} served, p50 {_ms(phase['p50_ms'])}, "
            f"p99 {_ms(phase['p99_ms'])}, {phase['error_codes']}"
        )
    lines.append(
        f"  RSS {report['rss_mb_at_start']} MB at start, after warm-up and each phase "
        f"{report['rss_mb_after_warmup_and_each_phase']} MB: growth {report['memory_growth']} "
        f"(bar < {MAX_GROWTH}; {report['memory_growth_from_start']} from start, while the "
        f"service-point index and the caches fill during the warm-up); the gateway counted {report['gateway_counted_by_status']}: "
        f"{_meets(report['meets'])} the bars"
    )
    return "\n".join(lines)


def format_instructions(report: dict[str, Any]) -> str:
    """The instruction counts as lines of text."""
    if "error" in report:
        return f"instructions per request: not counted ({report['error']})"
    counts = report["instructions_per_request"]
    return (
        f"instructions per request (callgrind, {report['requests']} registry queries through "
        f"uvicorn's h11 protocol in-process): floor {counts['floor']:,}, gateway "
        f"{counts['gateway']:,}; floor/gateway {report['floor/gateway']}"
    )


def main(argv: list[str] | None = None) -> None:
    """Prepare a registry in a temporary directory, run the chosen benchmarks, print them."""
    args = _parser().parse_args(argv)
    load = Load(args.concurrency, args.duration, args.warmup, args.max_requests, args.tool)
    with tempfile.TemporaryDirectory(prefix="moi-bench-") as directory:
        database_url = asyncio.run(prepare_registry(Path(directory)))
        print(f"{os.cpu_count()} CPUs; registry loaded into a temporary SQLite file", flush=True)
        reports: dict[str, Any] = {}
        if args.which in ("all", "registry"):
            reports["registry"] = measure_registry(database_url, Path(directory), load, args.rounds)
            print(format_registry(reports["registry"]), flush=True)
        if args.which in ("all", "tree"):
            reports["tree"] = run_tree(database_url, args.runs)
            print(format_tree(reports["tree"]), flush=True)
        if args.which in ("all", "fanout"):
            reports["fanout"] = run_fanout(database_url, args.runs)
            print(format_fanout(reports["fanout"]), flush=True)
        if args.which in ("all", "batching"):
            reports["batching"] = run_batching(database_url)
            print(format_batching(reports["batching"]), flush=True)
        if args.which in ("all", "memory"):
            reports["memory"] = run_memory(database_url, Path(directory))
            print(format_memory(reports["memory"]), flush=True)
        if args.which in ("all", "faults"):
            run = (args.faults_duration, args.faults_clients)
            reports["faults"] = run_faults(database_url, Path(directory), *run)
            print(format_faults(reports["faults"]), flush=True)
        if args.which == "instructions":
            reports["instructions"] = count_instructions(
                database_url, Path(directory), args.requests
            )
            print(format_instructions(reports["instructions"]), flush=True)
    if args.json:
        print(json.dumps(reports, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
