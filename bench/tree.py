"""The whole-country tree, timed in-process: execution plus the JSON dump, median of N runs.

- floor: bare graphql-core ``execute`` over plain dicts, the document parsed once;
- gateway first: the gateway's :class:`~gateway.execution.Executor` with the response cache
  off, over a new registry view each run, prepared as the gateway prepares it when it swaps a
  release in (``release_preparation`` times that step, which is off the request path);
- gateway warm: the same, the view (and its graph objects) kept between runs;
- gateway cold view: over a view nothing prepared, every graph object made during the query;
- gateway cached: the whole ``POST /graphql`` ASGI call of the app, response cache on, repeated
  within one release (the time inside the app; uvicorn's socket work is not in it).

The runs of the first three are interleaved, so drift on a shared machine falls on all alike.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from starlette.types import ASGIApp, Message

from bench.floor import FloorData, FloorServer, floor_schema
from bench.registry_data import TREE_QUERY, snapshot_of
from central_codes.snapshot import Snapshot
from gateway.app import create_app
from gateway.execution import Executor
from gateway.http.responses import dump
from gateway.registry import RegistryView
from gateway.schema import build_schema
from gateway.schema.context import GraphContext
from gateway.schema.fast_paths import registry_fields
from gateway.settings import Settings

__all__ = ["BAR_CACHED_MS", "BAR_FIRST_RATIO", "measure_tree"]

BAR_FIRST_RATIO = 1.2
BAR_CACHED_MS = 10.0


def _count_fields(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_count_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_fields(v) for v in value)
    return 0


def _stats(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "median_ms": round(statistics.median(ms), 2),
        "min_ms": round(min(ms), 2),
        "max_ms": round(max(ms), 2),
    }


class _GatewayTree:
    """The gateway's executor with no response cache, over one snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        schema = build_schema()._schema
        self.executor = Executor(schema, registry_fields(schema), response_cache_size=0)
        self.prepared = self.executor.prepare(TREE_QUERY)
        self.snapshot = snapshot
        self.view = RegistryView(snapshot)
        self.next_view = self.view

    async def answer(self, view: RegistryView) -> bytes:
        """Execute the tree against ``view`` and dump it as the endpoint would."""
        context = GraphContext(request_id="bench", registry=view)
        result = await self.executor.execute(self.prepared, None, None, context)
        if result.errors:
            raise RuntimeError(f"the gateway failed the tree: {result.errors[0]}")
        return dump({"data": result.data})

    def swap_in(self) -> float:
        """Prepare a new view as the gateway does when a release is swapped in; its seconds."""
        start = time.perf_counter()
        view = RegistryView(self.snapshot)
        view.prepare()
        self.next_view = view
        return time.perf_counter() - start

    async def first(self) -> bytes:
        """The first run in a release: over the view prepared when the release was swapped in."""
        return await self.answer(self.next_view)

    async def cold(self) -> bytes:
        """A run over a view nothing has prepared: every graph object made during the query."""
        return await self.answer(RegistryView(self.snapshot))

    async def warm(self) -> bytes:
        """A run over a view earlier runs have used."""
        return await self.answer(self.view)


async def _timed(run: Callable[[], Coroutine[Any, Any, bytes]]) -> tuple[float, bytes]:
    start = time.perf_counter()
    body = await run()
    return time.perf_counter() - start, body


async def _post(app: ASGIApp, body: bytes) -> tuple[float, bytes]:
    """One ``POST /graphql`` straight into the ASGI app; the time inside it and the answer."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"content-type", b"application/json"),
            (b"accept", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    requests = [{"type": "http.request", "body": body, "more_body": False}]
    chunks: list[bytes] = []

    async def receive() -> Message:
        return requests.pop() if requests else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"the gateway answered {message['status']}")
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    start = time.perf_counter()
    await app(scope, receive, send)
    return time.perf_counter() - start, b"".join(chunks)


async def _over_http(database_url: str, runs: int) -> tuple[list[float], list[float], bytes]:
    """The first answer of a fresh app (fills the cache), then ``runs`` repeats."""
    settings = Settings(
        database_url=database_url, registry_poll_seconds=3600.0, rate_limit_public=0
    )  # the repeats come from one address, past any public budget
    app = create_app(settings)
    body = orjson.dumps({"query": TREE_QUERY})
    async with app.router.lifespan_context(app):
        first, answer = await _post(app, body)
        repeats = [(await _post(app, body))[0] for _ in range(runs)]
    return [first], repeats, answer


async def measure_tree(database_url: str, runs: int = 15) -> dict[str, Any]:
    """Medians of ``runs`` runs of each way of answering the tree, and their ratios."""
    snapshot = await snapshot_of(database_url)
    floor = FloorServer(floor_schema(FloorData(snapshot)))
    floor.document(TREE_QUERY)  # parse once, as the floor promises
    gateway = _GatewayTree(snapshot)
    await gateway.warm()  # the view the warm runs share
    times: dict[str, list[float]] = {
        "floor": [],
        "gateway_first": [],
        "gateway_warm": [],
        "gateway_cold_view": [],
        "release_preparation": [],
    }
    answers: set[bytes] = set()

    async def floor_run() -> bytes:
        return floor.answer(TREE_QUERY)

    for _ in range(runs):
        times["release_preparation"].append(gateway.swap_in())  # off the request path
        for name, run in (
            ("floor", floor_run),
            ("gateway_first", gateway.first),
            ("gateway_warm", gateway.warm),
            ("gateway_cold_view", gateway.cold),
        ):
            took, answer = await _timed(run)
            times[name].append(took)
            answers.add(answer)
    http_first, cached, http_answer = await _over_http(database_url, runs)
    answers.add(http_answer)
    return _report(times, http_first, cached, answers, runs)


def _report(
    times: dict[str, list[float]],
    http_first: list[float],
    cached: list[float],
    answers: set[bytes],
    runs: int,
) -> dict[str, Any]:
    stats = {name: _stats(values) for name, values in times.items()}
    stats["gateway_http_first"] = _stats(http_first)
    stats["gateway_cached"] = _stats(cached)
    floor = stats["floor"]["median_ms"]
    answer = next(iter(answers))
    return {
        "query": TREE_QUERY,
        "runs": runs,
        "fields": _count_fields(orjson.loads(answer)["data"]),
        "bytes": len(answer),
        "same_answer": len(answers) == 1,
        "timings": stats,
        "ratios": {
            "gateway_first/floor": round(stats["gateway_first"]["median_ms"] / floor, 3),
            "gateway_warm/floor": round(stats["gateway_warm"]["median_ms"] / floor, 3),
            "gateway_cold_view/floor": round(stats["gateway_cold_view"]["median_ms"] / floor, 3),
        },
        "bars": {"gateway_first/floor": BAR_FIRST_RATIO, "gateway_cached_ms": BAR_CACHED_MS},
    }


def run_tree(database_url: str, runs: int = 15) -> dict[str, Any]:
    """:func:`measure_tree` in a fresh event loop."""
    return asyncio.run(measure_tree(database_url, runs))
