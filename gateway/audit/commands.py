"""What ``moi-gateway audit ...`` does."""

from __future__ import annotations

import click

from central_codes.database import create_engine, migrate
from gateway.audit.verify import verify_trail
from gateway.settings import Settings

__all__ = ["verify"]


async def verify(settings: Settings) -> int:
    """Check every chain; exit status 1 and the first broken link when one is broken."""
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        result = await verify_trail(engine)
    finally:
        await engine.dispose()
    if result.broken is not None:
        click.echo(f"broken after {result.records} good records: {result.broken}")
        return 1
    click.echo(f"ok: {result.records} records in {result.chains} chains, every link intact")
    return 0
