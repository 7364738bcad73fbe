"""The GraphQL-over-HTTP server audit of the ``graphql-http`` npm package passes against ``/graphql``.

Runs only where ``node`` and ``npm`` are installed. The package is installed once into a
git-ignored cache folder of the repository; the gateway runs for real under uvicorn on a free
localhost port, over a SQLite registry of its own.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.app import create_app
from gateway.settings import Settings
from tests.conftest import UNLIMITED
from tests.live_server import serving
from tests.node_packages import CACHE_ROOT, install_npm_packages, skip_without_node

pytestmark = pytest.mark.node

VERSION = "1.23.1"
AUDITS = 61  # the server audits graphql-http 1.23.1 defines
CACHE = CACHE_ROOT / "graphql-http-audit"
PACKAGE = CACHE / "node_modules" / "graphql-http"
SCRIPT = Path(__file__).with_name("graphql_http_audit.mjs")


@pytest.fixture(scope="module")
def node_tools() -> None:
    """Skip (with the reason shown) where Node.js is not installed; else install graphql-http."""
    skip_without_node("graphql-http audit")
    install_npm_packages(CACHE, {"graphql-http": VERSION})


@pytest.fixture
def gateway_url(tmp_path: Path) -> Iterator[str]:
    """The ``/graphql`` URL of a real gateway served by uvicorn in a background thread."""
    database_url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    settings = Settings(database_url=database_url, **UNLIMITED)  # the audit asks many times
    with serving(create_app(settings)) as base_url:
        yield f"{base_url}/graphql"


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
