"""Run the sandbox agencies: on their own (``moi-gateway sandbox``) or inside ``serve``."""

from __future__ import annotations

import asyncio

import click

from central_codes.database import create_engine, migrate
from central_codes.loading import latest_release, load_registry
from central_codes.snapshot import Snapshot, read_snapshot
from central_codes.sources.geothai_package import read_geothai
from gateway.settings import Settings
from sandbox.data import SandboxData
from sandbox.server import Sandbox

__all__ = ["environment_lines", "fixed_ports", "run_sandbox"]


def fixed_ports(sandbox: Sandbox, base_port: int) -> dict[str, int]:
    """Stable ports, one per agency in name order, from ``base_port`` up."""
    return {
        a.name: base_port + i for i, a in enumerate(sorted(sandbox.agencies, key=lambda a: a.name))
    }


def environment_lines(urls: dict[str, str]) -> list[str]:
    """The settings that point a gateway at these agencies."""
    return [f"GATEWAY_CONNECTOR_{name.upper()}_URL={url}" for name, url in sorted(urls.items())]


async def _snapshot(settings: Settings) -> Snapshot:
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        if await latest_release(engine) is None:
            await load_registry(engine, read_geothai())
        snapshot = await read_snapshot(engine)
    finally:
        await engine.dispose()
    assert snapshot is not None
    return snapshot


async def run_sandbox(settings: Settings, host: str, base_port: int) -> None:
    """Start every agency on stable local ports, print their URLs, and serve until stopped."""
    sandbox = Sandbox(SandboxData(await _snapshot(settings)))
    urls = await sandbox.start(host, fixed_ports(sandbox, base_port))
    for agency in sandbox.agencies:
        click.echo(f"{agency.name:<18} {urls[agency.name]}  {agency.title}")
    click.echo("\nPoint a gateway at them with:\n" + "\n".join(environment_lines(urls)))
    click.echo(
        "\nFaults: PUT {url}/__admin/faults/{agency}; request log: GET {url}/__admin/requests/{agency}"
    )
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()
