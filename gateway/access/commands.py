"""What ``moi-gateway keys ...`` does: issue (the key shown once), list and revoke API keys."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence

import click

from central_codes.database import create_engine, migrate
from gateway.access.keys import ApiKey, KeyStore
from gateway.access.principal import Tier, tier_scopes
from gateway.settings import Settings

__all__ = ["issue", "list_keys", "revoke"]


@contextlib.asynccontextmanager
async def _store(settings: Settings) -> AsyncIterator[KeyStore]:
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        yield KeyStore(engine)
    finally:
        await engine.dispose()


async def issue(
    settings: Settings, name: str, tier: Tier, scopes: Sequence[str], rate_per_minute: int | None
) -> int:
    """Issue a key; it goes to standard output, alone on its line, and is never shown again."""
    async with _store(settings) as store:
        key, record = await store.issue(name, tier, scopes or tier_scopes(tier), rate_per_minute)
    click.echo(f"issued key {record.key_id} for {name!r}: {_summary(record)}", err=True)
    click.echo("the key follows; it is shown only now (the gateway keeps only its hash)", err=True)
    click.echo(key)
    return 0


async def list_keys(settings: Settings) -> int:
    """Every issued key, one a line, tab-separated (never the keys themselves)."""
    async with _store(settings) as store:
        records = await store.keys()
    click.echo("id\tname\ttier\tscopes\trate_per_minute\tcreated_at\trevoked_at")
    for r in records:
        revoked = r.revoked_at.isoformat() if r.revoked_at else "-"
        rate = "tier default" if r.rate_per_minute is None else str(r.rate_per_minute)
        scopes = " ".join(sorted(r.scopes)) or "-"
        fields = (r.key_id, r.name, r.tier.value, scopes, rate, r.created_at.isoformat(), revoked)
        click.echo("\t".join(fields))
    return 0


async def revoke(settings: Settings, key_id: str) -> int:
    """Revoke a key: 0 when it is (now or already) revoked, 1 when no such key was issued."""
    async with _store(settings) as store:
        record = await store.revoke(key_id)
    if record is None:
        click.echo(f"no key {key_id!r} was issued (see `moi-gateway keys list`)", err=True)
        return 1
    click.echo(f"key {key_id} ({record.name!r}) is revoked", err=True)
    return 0


def _summary(record: ApiKey) -> str:
    scopes = " ".join(sorted(record.scopes)) or "none"
    rate = "its tier's" if record.rate_per_minute is None else str(record.rate_per_minute)
    return f"tier {record.tier.value}, scopes {scopes}, {rate} requests a minute"
