"""The GraphQL-over-HTTP server audit of the ``graphql-http`` npm package passes against ``/graphql``.

Runs only where ``node`` and ``npm`` are installed. The package is installed once into a
git-ignored cache folder of the repository; the gateway runs for real under uvicorn on a free
localhost port, over a SQLite registry of its own.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from gateway.app import create_app
from gateway.settings import Settings

pytestmark = pytest.mark.node

VERSION = "1.23.1"
AUDITS = 61  # the server audits graphql-http 1.23.1 defines
ROOT = Path(__file__).parents[3]
CACHE = ROOT / ".cache" / "graphql-http-audit"
PACKAGE = CACHE / "node_modules" / "graphql-http"
SCRIPT = Path(__file__).with_name("graphql_http_audit.mjs")


def _installed_version() -> str | None:
    manifest = PACKAGE / "package.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


def _install_graphql_http() -> None:
    """Install the pinned graphql-http into the cache folder unless it is there already."""
    if _installed_version() == VERSION:
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(CACHE)]
    subprocess.run([*command, f"graphql-http@{VERSION}"], check=True, timeout=300)
    assert _installed_version() == VERSION


@pytest.fixture(scope="module")
def node_tools() -> None:
    """Skip (with the reason shown) where Node.js is not installed; else install graphql-http."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"graphql-http audit: {' and '.join(missing)} not on PATH")
    _install_graphql_http()


@pytest.fixture
def gateway_url(tmp_path: Path) -> Iterator[str]:
    """The ``/graphql`` URL of a real gateway served by uvicorn in a background thread."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'registry.sqlite3'}")
    config = uvicorn.Config(
        create_app(settings), log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        _wait_until_started(server, thread)
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 120  # the first start loads the registry from geothai
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the gateway did not start under uvicorn")
        time.sleep(0.05)


def _run_audits(url: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        ["node", str(SCRIPT), str(PACKAGE), url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def test_every_graphql_http_server_audit_passes(node_tools: None, gateway_url: str) -> None:
    results = _run_audits(gateway_url)
    failed = [r for r in results if r["status"] != "ok"]
    for result in failed:
        print(f"{result['status']}: {result['id']} {result['name']}: {result['reason']}")
    assert len(results) == AUDITS
    assert [f"{r['id']} {r['name']}: {r['reason']}" for r in failed] == []
