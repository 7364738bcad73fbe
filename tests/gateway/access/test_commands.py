"""``moi-gateway keys issue|list|revoke``, run as an operator would, against a SQLite file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from central_codes.database import create_engine
from gateway.access import KeyStore, Tier
from gateway.access.principal import SCOPES
from gateway.cli import main
from gateway.errors import Unauthenticated


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
    monkeypatch.setenv("GATEWAY_DATABASE_URL", url)
    return url


async def _principal(url: str, key: str) -> tuple[str, Tier, frozenset[str], int | None]:
    engine = create_engine(url)
    try:
        p = await KeyStore(engine).principal(key)
        return p.id, p.tier, p.scopes, p.rate_per_minute
    finally:
        await engine.dispose()


def test_issue_prints_the_key_once_and_it_opens_the_gateway(database: str) -> None:
    result = CliRunner().invoke(
        main, ["keys", "issue", "--name", "DLA", "--tier", "partner", "--rate-per-minute", "90"]
    )
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith("moi_")
    assert "\n" not in key
    key_id = key.split("_")[1]
    assert f"issued key {key_id}" in result.stderr
    principal = asyncio.run(_principal(database, key))
    assert principal == (f"key:{key_id}", Tier.PARTNER, frozenset({"partner"}), 90)
    listed = CliRunner().invoke(main, ["keys", "list"])
    assert key_id in listed.stdout
    assert key not in listed.stdout


def test_an_internal_key_gets_the_internal_scopes_unless_told(database: str) -> None:
    given = CliRunner().invoke(
        main, ["keys", "issue", "--name", "ops", "--tier", "internal", "--scope", "internal"]
    )
    default = CliRunner().invoke(main, ["keys", "issue", "--name", "ops", "--tier", "internal"])
    assert asyncio.run(_principal(database, given.stdout.strip()))[2] == {"internal"}
    assert asyncio.run(_principal(database, default.stdout.strip()))[2] == {"internal", "partner"}


def test_revoke_refuses_the_key_and_list_shows_it(database: str) -> None:
    key = CliRunner().invoke(main, ["keys", "issue", "--name", "p"]).stdout.strip()
    key_id = key.split("_")[1]
    result = CliRunner().invoke(main, ["keys", "revoke", key_id])
    assert result.exit_code == 0, result.output
    with pytest.raises(Unauthenticated, match="revoked"):
        asyncio.run(_principal(database, key))
    row = next(
        line
        for line in CliRunner().invoke(main, ["keys", "list"]).stdout.splitlines()
        if line.startswith(key_id)
    )
    assert row.split("\t")[-1] != "-"


def test_revoking_an_unknown_key_fails(database: str) -> None:
    result = CliRunner().invoke(main, ["keys", "revoke", "nosuchkey"])
    assert result.exit_code == 1
    assert "no key" in result.stderr


def test_an_unknown_scope_is_refused_at_issue(database: str) -> None:
    result = CliRunner().invoke(main, ["keys", "issue", "--name", "p", "--scope", "parnter"])
    assert result.exit_code == 2
    assert "parnter" in result.output


def test_the_command_offers_every_scope_a_field_may_require() -> None:
    issue = main.commands["keys"].commands["issue"]  # type: ignore[attr-defined]
    option = next(p for p in issue.params if p.name == "scopes")
    assert tuple(option.type.choices) == SCOPES
