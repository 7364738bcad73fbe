"""``wrk`` as the load tool, when it is installed: a Lua script for the POST, its report parsed."""

from __future__ import annotations

import re
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["parse_wrk", "run_wrk"]

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_TOTAL = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def _script(body: bytes, headers: tuple[tuple[str, str], ...] = ()) -> str:
    text = body.decode().replace("\\", "\\\\").replace("]]", "] ]")
    extra = "".join(f'wrk.headers["{name}"] = "{value}"\n' for name, value in headers)
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = [[{text}]]\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        'wrk.headers["Accept"] = "application/json"\n'
    ) + extra


def _percentile_ms(report: str, share: str) -> float | None:
    found = re.search(rf"^\s*{share}%\s+([\d.]+)(us|ms|s|m)\s*$", report, re.MULTILINE)
    return None if found is None else float(found[1]) * _UNITS[found[2]]


def parse_wrk(report: str) -> dict[str, Any]:
    """Requests, errors, seconds and p50/p99 from the text ``wrk --latency`` prints."""
    total = _TOTAL.search(report)
    if total is None:
        raise ValueError(f"not a wrk report:\n{report}")
    errors = sum(int(n) for n in (_NON_2XX.findall(report)))
    sockets = _SOCKET_ERRORS.search(report)
    if sockets is not None:
        errors += sum(int(n) for n in sockets.groups())
    return {
        "tool": "wrk",
        "requests": int(total[1]),
        "errors": errors,
        "seconds": float(total[2]) * _UNITS[total[3]] / 1000,
        "p50_ms": _percentile_ms(report, "50"),
        "p99_ms": _percentile_ms(report, "99"),
    }


def _wrk(url: str, script: Path, concurrency: int, seconds: float) -> str:
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--latency"]
    done = subprocess.run(
        [*command, "-s", str(script), url], capture_output=True, text=True, check=True
    )
    return done.stdout


def run_wrk(
    url: str,
    body: bytes,
    concurrency: int,
    duration: float,
    warmup: float,
    headers: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    """A warm-up run, then the measured one; the fields of a LoadResult."""
    request = urllib.request.Request(
        url,
        body,
        {"Content-Type": "application/json", "Accept": "application/json", **dict(headers)},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        expected = answer.read().decode()
    with tempfile.TemporaryDirectory() as directory:
        script = Path(directory) / "post.lua"
        script.write_text(_script(body, headers), encoding="utf-8")
        if warmup > 0:
            _wrk(url, script, concurrency, warmup)
        measured = parse_wrk(_wrk(url, script, concurrency, duration))
    return {**measured, "answer": expected}
