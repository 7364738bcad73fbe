"""Our subgraph composed with the partner example's, and queried through a federation router.

Runs only where ``node`` and ``npm`` are installed. The gateway and the partner subgraph run for
real under uvicorn on free localhost ports; the example's ``compose.mjs`` composes them with
Apollo's composition library (``@apollo/composition``), and its ``router.mjs`` serves the
supergraph with Apollo Gateway, which calls both subgraphs over HTTP. The pinned npm packages
(the example's ``package.json``) are installed once into a git-ignored cache folder.
"""

from __future__ import annotations

import asyncio
import json
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from central_codes.database import create_engine
from gateway.access import KeyStore, Tier
from gateway.app import create_app
from gateway.settings import Mode, Settings
from partner_subgraph import Catalogue, read_catalogue
from partner_subgraph import create_app as create_partner_app
from tests.live_server import serving
from tests.node_packages import CACHE_ROOT, install_npm_packages, skip_without_node

pytestmark = pytest.mark.node

EXAMPLE = Path(__file__).parents[2] / "examples" / "partner-subgraph" / "router"
CACHE = CACHE_ROOT / "federation-router"
NODE_TIMEOUT_SECONDS = 120
ROUTER_START_SECONDS = 60
SERVICE_POINTS_SECONDS = 120
CHIANG_RAI_OFFICE = "c0860e74-7083-5c6b-946c-dde93e0e9641"  # in the CITIZENinfo sandbox


@pytest.fixture(scope="module")
def router_tools() -> Path:
    """The cache folder holding the example's pinned npm packages and its scripts."""
    skip_without_node("federation router")
    manifest = json.loads((EXAMPLE / "package.json").read_text(encoding="utf-8"))
    install_npm_packages(CACHE, manifest["dependencies"])
    for script in EXAMPLE.glob("*.mjs"):  # beside node_modules, so that node finds the packages
        shutil.copy(script, CACHE)
    return CACHE


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """The partner example's products."""
    return read_catalogue()


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Our gateway's database (SQLite)."""
    return f"sqlite:///{tmp_path_factory.mktemp('federation') / 'registry.sqlite3'}"


@pytest.fixture(scope="module")
def subgraphs(
    router_tools: Path, catalogue: Catalogue, database_url: str
) -> Iterator[dict[str, str]]:
    """The ``/graphql`` URL of each subgraph, by name: our gateway (in production mode, so its
    SDL is shown only to a caller with a credential) and the partner's."""
    gateway = create_app(Settings(database_url=database_url, mode=Mode.PRODUCTION))
    with ExitStack() as stack:
        ours = stack.enter_context(serving(gateway))
        partner = stack.enter_context(serving(create_partner_app(catalogue)))
        yield {"moi": f"{ours}/graphql", "otop": f"{partner}/graphql"}


@pytest.fixture(scope="module")
def partner_key(subgraphs: dict[str, str], database_url: str) -> str:
    """A partner API key issued in our gateway's database."""
    return asyncio.run(issued_key(database_url))


async def issued_key(database_url: str) -> str:
    """A partner key issued in the database at ``database_url``."""
    engine = create_engine(database_url)
    try:
        key, _ = await KeyStore(engine).issue("partner router test", Tier.PARTNER, [], None)
    finally:
        await engine.dispose()
    return key


def compose(
    tools: Path, subgraphs: dict[str, str], out: Path, *headers: str
) -> subprocess.CompletedProcess[str]:
    """``compose.mjs`` run over the subgraphs, sending each of them ``headers``."""
    named = [f"{name}={url}" for name, url in subgraphs.items()]
    options = [f"--header={header}" for header in headers]
    return subprocess.run(
        ["node", str(tools / "compose.mjs"), "--out", str(out), *options, *named],
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_SECONDS,
        check=False,
    )


@pytest.fixture(scope="module")
def composition(
    router_tools: Path,
    subgraphs: dict[str, str],
    partner_key: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], Path]:
    """The composition report (errors and hints) and the supergraph file it wrote."""
    supergraph = tmp_path_factory.mktemp("supergraph") / "supergraph.graphql"
    done = compose(router_tools, subgraphs, supergraph, f"X-API-Key: {partner_key}")
    assert done.stdout, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report, supergraph


@pytest.fixture(scope="module")
def router_url(router_tools: Path, composition: tuple[dict[str, Any], Path]) -> Iterator[str]:
    """The URL of Apollo Gateway serving the supergraph, stopped after the module."""
    _, supergraph = composition
    if not supergraph.is_file():
        pytest.fail("composition wrote no supergraph")
    log = supergraph.with_name("router.log")
    command = ["node", str(router_tools / "router.mjs"), "--supergraph", str(supergraph)]
    with log.open("w") as stderr:
        router = subprocess.Popen(
            [*command, "--port", "0"], stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    with router:  # closes its pipe and waits for it
        try:
            yield _announced_url(router, log)
        finally:
            _stop(router)


def _stop(router: subprocess.Popen[str]) -> None:
    router.terminate()
    try:
        router.wait(timeout=10)
    except subprocess.TimeoutExpired:
        router.kill()


def _announced_url(router: subprocess.Popen[str], log: Path) -> str:
    """The URL the router prints once it answers; fails with its log if it never does."""
    assert router.stdout is not None
    ready, _, _ = select.select([router.stdout], [], [], ROUTER_START_SECONDS)
    line = router.stdout.readline() if ready else ""
    if not line:
        pytest.fail(f"the router did not start: {log.read_text(encoding='utf-8')}")
    return str(json.loads(line)["url"])


def routed(url: str, query: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The router's JSON answer to ``query``, which must succeed."""
    body = routed_answer(url, query, headers)
    assert "errors" not in body, body
    return body


def routed_answer(url: str, query: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The router's JSON answer to ``query``, errors and all."""
    answer = httpx.post(url, json={"query": query}, headers=headers, timeout=NODE_TIMEOUT_SECONDS)
    body: dict[str, Any] = answer.json()
    return body


def test_composition_has_no_errors_and_no_hints(
    composition: tuple[dict[str, Any], Path],
) -> None:
    report, supergraph = composition
    assert report == {"errors": [], "hints": []}
    assert '@join__type(graph: OTOP, key: "code")' in supergraph.read_text(encoding="utf-8")


def test_composing_our_subgraph_in_production_needs_a_credential(
    router_tools: Path, subgraphs: dict[str, str], tmp_path: Path
) -> None:
    done = compose(router_tools, subgraphs, tmp_path / "supergraph.graphql")
    assert done.returncode == 1
    assert "FORBIDDEN" in done.stderr
    assert not (tmp_path / "supergraph.graphql").exists()


def test_a_subdistrict_answers_our_thai_name_and_the_partners_products(router_url: str) -> None:
    query = '{ subdistrict(code: "840503") { nameTh otopProducts { nameEn stars } } }'
    assert routed(router_url, query)["data"] == {
        "subdistrict": {
            "nameTh": "เกาะเต่า",
            "otopProducts": [
                {"nameEn": "Ko Tao cold-pressed coconut oil", "stars": 4},
                {"nameEn": "Coral-pattern batik", "stars": 3},
            ],
        }
    }


def test_the_partners_products_get_our_names_in_one_batch(
    router_url: str, catalogue: Catalogue, registry_batches: list[list[str]]
) -> None:
    query = "{ otopProducts { nameEn subdistrict { code nameTh district { nameEn } } } }"
    products = routed(router_url, query)["data"]["otopProducts"]
    assert [p["nameEn"] for p in products] == [p.name_en for p in catalogue.products]
    koh_tao = {"code": "840503", "nameTh": "เกาะเต่า", "district": {"nameEn": "Ko Pha-ngan"}}
    assert koh_tao in [p["subdistrict"] for p in products]
    # the gateway runs in this process: one _entities call from the router, one registry batch
    assert [sorted(batch) for batch in registry_batches] == [sorted(catalogue.by_subdistrict)]


def test_the_router_passes_the_callers_key_on_to_our_subgraph(
    router_url: str, partner_key: str
) -> None:
    query = '{ subdistrict(code: "840503") { nameTh } }'
    forged = routed_answer(router_url, query, {"X-API-Key": "moi_1_forged"})
    [error] = forged["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "stacktrace" not in error["extensions"]
    answer = routed(router_url, query, {"X-API-Key": partner_key})
    assert answer["data"] == {"subdistrict": {"nameTh": "เกาะเต่า"}}


@pytest.fixture(scope="module")
def service_points_read(subgraphs: dict[str, str], partner_key: str) -> None:
    """Wait until our gateway has read CITIZENinfo's service points (in the background at start)."""
    query = {"query": f'{{ servicePoint(id: "{CHIANG_RAI_OFFICE}") {{ id }} }}'}
    deadline = time.monotonic() + SERVICE_POINTS_SECONDS
    while time.monotonic() < deadline:
        answer = httpx.post(subgraphs["moi"], json=query, headers={"X-API-Key": partner_key})
        body = answer.json()
        if "errors" not in body:
            return
        time.sleep(0.25)
    pytest.fail(f"our gateway did not read its service points: {body}")


@pytest.mark.usefixtures("service_points_read")
def test_a_products_service_point_answers_our_name_and_the_partners_products(
    router_url: str,
) -> None:
    query = "{ otopProducts(category: BEVERAGE) { nameEn registeredAt { name agency } } }"
    office = {"name": "ที่ว่าการอำเภอเมืองเชียงราย", "agency": "DOPA-5701"}
    assert routed(router_url, query)["data"] == {
        "otopProducts": [{"nameEn": "Chiang Rai oolong tea", "registeredAt": office}]
    }
    query = f'{{ servicePoint(id: "{CHIANG_RAI_OFFICE}") {{ name otopProducts {{ nameEn }} }} }}'
    products = ["Akha hand-woven cloth", "Chiang Rai oolong tea", "Hill-tribe cloth dolls"]
    assert routed(router_url, query)["data"] == {
        "servicePoint": {
            "name": office["name"],
            "otopProducts": [{"nameEn": name} for name in products],
        }
    }
