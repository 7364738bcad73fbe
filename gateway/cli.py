"""The ``moi-gateway`` command: serve the graph, manage the registry, print the schema.

This module and :mod:`gateway.settings` are the only places that read the environment.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import webbrowser
from typing import Any

import click
import uvicorn
from starlette.applications import Starlette

from gateway.settings import SettingError, Settings

__all__ = ["app_from_environment", "main"]


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings.from_env(os.environ, **overrides)
    except SettingError as error:
        raise click.UsageError(str(error)) from None


def app_from_environment() -> Starlette:
    """The app built from the environment: what each ``serve --workers N`` process runs."""
    from gateway.app import create_app

    return create_app(_settings())


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
    """Serve the graph over HTTP (GraphiQL at /graphql)."""
    settings = _settings(host=host, port=port, workers=workers)
    url = f"http://{settings.host}:{settings.port}/graphql"
    click.echo(f"MOI Gateway on {url} (settings: {settings.masked()})", err=True)
    if open_browser:
        threading.Timer(2.0, webbrowser.open, args=(url,)).start()
    if settings.workers > 1:
        os.environ.update({"GATEWAY_HOST": settings.host, "GATEWAY_PORT": str(settings.port)})
        uvicorn.run(
            "gateway.cli:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level,
        )
        return
    from gateway.app import create_app

    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level
    )


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
