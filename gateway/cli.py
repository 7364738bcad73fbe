"""The ``moi-gateway`` command: serve the graph, manage the registry, print the schema.

This module and :mod:`gateway.settings` are the only places that read the environment.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import shutil
import sys
import tempfile
import threading
import webbrowser
from typing import Any

import click
import uvicorn
from starlette.applications import Starlette

from gateway.settings import LogFormat, SettingError, Settings

__all__ = ["app_from_environment", "main"]

# where prometheus_client keeps every worker's counters (read by it at import, in each worker)
_METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings.from_env(os.environ, **overrides)
    except SettingError as error:
        raise click.UsageError(str(error)) from None


def app_from_environment() -> Starlette:
    """The app built from the environment: what each ``serve --workers N`` process runs."""
    settings = _settings()
    _configure_logging(settings)
    return _app(settings, os.environ.get(_METRICS_DIR))


def _app(settings: Settings, metrics_dir: str | None = None) -> Starlette:
    from gateway.app import create_app

    try:
        return create_app(settings, metrics_dir=metrics_dir)
    except SettingError as error:
        raise click.UsageError(str(error)) from None


def _configure_logging(settings: Settings) -> None:
    from gateway.telemetry.logs import configure_logging

    configure_logging(settings.log_level, json=settings.log_format is LogFormat.JSON)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="moi-gateway")
def main() -> None:
    """MOI Gateway: one GraphQL graph over Thailand's administrative codes and agency systems."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration step is noise


@main.command()
@click.option("--host", default=None, help="Address to listen on [GATEWAY_HOST, 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [GATEWAY_PORT, 8000].")
@click.option("--workers", type=int, default=None, help="Worker processes [GATEWAY_WORKERS, 1].")
@click.option("--open", "open_browser", is_flag=True, help="Open GraphiQL in a browser.")
def serve(host: str | None, port: int | None, workers: int | None, open_browser: bool) -> None:
    """Serve the graph over HTTP (GraphiQL at /graphql; SIGTERM finishes what is in flight)."""
    settings = _settings(host=host, port=port, workers=workers)
    _configure_logging(settings)
    url = f"http://{settings.host}:{settings.port}/graphql"
    click.echo(f"MOI Gateway on {url} (settings: {settings.masked()})", err=True)
    if open_browser:
        threading.Timer(2.0, webbrowser.open, args=(url,)).start()
    server: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "log_config": None,  # the lines go through _configure_logging's handler
        "timeout_graceful_shutdown": math.ceil(settings.shutdown_grace_seconds),
    }
    if settings.workers > 1:
        _serve_workers(settings, server)
        return
    uvicorn.run(_app(settings), **server)


def _serve_workers(settings: Settings, server: dict[str, Any]) -> None:
    """Workers on one port, sharing a fresh directory for their metrics."""
    metrics_dir = tempfile.mkdtemp(prefix="moi-gateway-metrics-")
    os.environ.update(
        {
            "GATEWAY_HOST": settings.host,
            "GATEWAY_PORT": str(settings.port),
            _METRICS_DIR: metrics_dir,
        }
    )
    try:
        uvicorn.run(
            "gateway.cli:app_from_environment", factory=True, workers=settings.workers, **server
        )
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


@main.command()
@click.option(
    "--federation",
    is_flag=True,
    help="Print the Apollo Federation subgraph SDL (what `_service { sdl }` answers).",
)
def schema(federation: bool) -> None:
    """Print the public schema (SDL), or the subgraph SDL a federation router composes."""
    from gateway.schema import build_schema

    built = build_schema()
    click.echo(built.subgraph_sdl() if federation else built.as_str())


@main.command()
@click.option("--host", default="127.0.0.1", help="Address the agencies listen on.")
@click.option("--base-port", type=int, default=9100, help="First port; one port per agency.")
def sandbox(host: str, base_port: int) -> None:
    """Run every sandbox agency on local ports and print their URLs (Ctrl-C stops)."""
    from gateway.sandbox_runner import run_sandbox

    try:
        asyncio.run(run_sandbox(_settings(), host, base_port))
    except KeyboardInterrupt:
        click.echo("sandbox stopped", err=True)


@main.group()
def registry() -> None:
    """Load, import, inspect and export the code registry."""


@registry.command("load")
def registry_load() -> None:
    """Load the codes shipped in the geothai package; a new release only when they changed."""
    from gateway.registry_commands import load

    sys.exit(asyncio.run(load(_settings())))


@registry.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--source-version", required=True, help="The date or version of DOPA's list.")
def registry_import(path: str, source_version: str) -> None:
    """Import DOPA's CCAATT code list (CSV); nothing is written when any row is bad."""
    from gateway.registry_commands import import_codes

    with open(path, "rb") as f:
        content = f.read()
    sys.exit(asyncio.run(import_codes(_settings(), content, source_version)))


@registry.command("suppliers-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def registry_suppliers_import(path: str) -> None:
    """Import water and electricity supplier overrides (CSV); nothing is written when any row is bad."""
    from gateway.registry_commands import import_suppliers

    with open(path, "rb") as f:
        content = f.read()
    sys.exit(asyncio.run(import_suppliers(_settings(), content)))


@registry.command("info")
def registry_info() -> None:
    """Show the release being served and its counts."""
    from gateway.registry_commands import info

    sys.exit(asyncio.run(info(_settings())))


@registry.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-")
def registry_export(fmt: str, output: str) -> None:
    """Write every area (active and abolished) as CSV or JSON."""
    from gateway.registry_commands import export

    sys.exit(asyncio.run(export(_settings(), fmt, output)))


@main.group()
def keys() -> None:
    """Issue, list and revoke API keys (stored hashed; a key is shown once, at issue)."""


@keys.command("issue")
@click.option("--name", required=True, help="Who holds the key (a partner, a system).")
@click.option(
    "--tier",
    type=click.Choice(["public", "partner", "internal"]),
    default="partner",
    show_default=True,
)
@click.option(
    "--scope",
    "scopes",
    type=click.Choice(["partner", "internal"]),
    multiple=True,
    help="A scope (repeat); default: the tier's.",
)
@click.option("--rate-per-minute", type=click.IntRange(min=1), default=None, help="Own budget.")
def keys_issue(name: str, tier: str, scopes: tuple[str, ...], rate_per_minute: int | None) -> None:
    """Issue a key and print it (only now; the gateway keeps its hash)."""
    from gateway.access.commands import issue
    from gateway.access.principal import Tier

    sys.exit(asyncio.run(issue(_settings(), name, Tier(tier), scopes, rate_per_minute)))


@keys.command("list")
def keys_list() -> None:
    """List every issued key (id, holder, tier, scopes, budget, revoked), never the keys."""
    from gateway.access.commands import list_keys

    sys.exit(asyncio.run(list_keys(_settings())))


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke a key by its id; every instance refuses it within GATEWAY_API_KEY_CACHE_SECONDS."""
    from gateway.access.commands import revoke

    sys.exit(asyncio.run(revoke(_settings(), key_id)))


@main.group()
def audit() -> None:
    """The audit trail: one hash-chained record per request."""


@audit.command("verify")
def audit_verify() -> None:
    """Check every record's hash and link; name the first broken link (exit status 1)."""
    from gateway.audit.commands import verify

    sys.exit(asyncio.run(verify(_settings())))
