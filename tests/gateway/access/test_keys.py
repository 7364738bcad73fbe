"""API keys: issued once, stored hashed, checked on each request, revoked for good."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.database import session_factory
from gateway.access import ApiKeyRow, KeyStore, Tier
from gateway.errors import Unauthenticated


async def test_an_issued_key_is_its_holders_principal(keys: KeyStore) -> None:
    key, record = await keys.issue("DLA integration", Tier.PARTNER, ["partner"], 120)
    principal = await keys.principal(key)
    assert principal.id == f"key:{record.key_id}"
    assert (principal.tier, principal.scopes, principal.rate_per_minute) == (
        Tier.PARTNER,
        frozenset({"partner"}),
        120,
    )


async def test_only_a_hash_of_the_key_is_stored(keys: KeyStore, engine: AsyncEngine) -> None:
    key, _ = await keys.issue("ops", Tier.INTERNAL, ["internal", "partner"], None)
    async with session_factory(engine)() as session:
        row = (await session.scalars(select(ApiKeyRow))).one()
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = " ".join(str(getattr(row, c.key)) for c in ApiKeyRow.__table__.columns)
    assert key.rsplit("_", 1)[-1] not in stored


@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # forged secret
        lambda key: "moi_000000000000_" + key.split("_", 2)[2],  # someone else's id
        lambda key: key.replace("moi_", "xyz_", 1),
        lambda key: "not-a-key",
    ],
)
async def test_a_wrong_key_is_refused(keys: KeyStore, mangle: Callable[[str], str]) -> None:
    key, _ = await keys.issue("p", Tier.PARTNER, ["partner"], None)
    with pytest.raises(Unauthenticated):
        await keys.principal(mangle(key))


async def test_a_revoked_key_is_refused_and_listed_as_revoked(keys: KeyStore) -> None:
    key, record = await keys.issue("p", Tier.PARTNER, ["partner"], None)
    await keys.principal(key)
    revoked = await keys.revoke(record.key_id)
    assert revoked is not None
    assert revoked.revoked_at is not None
    with pytest.raises(Unauthenticated, match="revoked"):
        await keys.principal(key)
    assert [k.revoked_at is not None for k in await keys.keys()] == [True]
    assert await keys.revoke("nosuchkey") is None


async def test_a_revocation_reaches_a_caching_instance_after_its_cache_time(
    engine: AsyncEngine,
) -> None:
    now = [0.0]
    caching = KeyStore(engine, cache_seconds=10, clock=lambda: now[0])
    key, record = await caching.issue("p", Tier.PARTNER, ["partner"], None)
    await caching.principal(key)
    await KeyStore(engine).revoke(record.key_id)  # from another process, say
    now[0] = 9.0
    await caching.principal(key)  # still trusted from its cache
    now[0] = 10.0
    with pytest.raises(Unauthenticated, match="revoked"):
        await caching.principal(key)


async def test_the_middleware_attaches_the_keys_principal(
    keys: KeyStore, whoami: httpx.AsyncClient
) -> None:
    key, record = await keys.issue("p", Tier.INTERNAL, ["internal", "partner"], None)
    answer = await whoami.get("/whoami", headers={"X-API-Key": key})
    assert answer.json() == {
        "id": f"key:{record.key_id}",
        "tier": "internal",
        "scopes": ["internal", "partner"],
    }
    assert (await whoami.get("/whoami")).json()["id"] == "anonymous"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-API-Key": "moi_000000000000_forged"},
        {"X-API-Key": ""},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"},  # no issuer is configured
    ],
)
async def test_a_bad_credential_is_401_never_anonymous(
    whoami: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    answer = await whoami.get("/whoami", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_revoked_key_is_401(keys: KeyStore, whoami: httpx.AsyncClient) -> None:
    key, record = await keys.issue("p", Tier.PARTNER, ["partner"], None)
    await keys.revoke(record.key_id)
    answer = await whoami.get("/whoami", headers={"X-API-Key": key})
    assert answer.status_code == 401
    assert "revoked" in answer.json()["errors"][0]["message"]


async def test_two_credentials_at_once_are_refused(
    keys: KeyStore, whoami: httpx.AsyncClient
) -> None:
    key, _ = await keys.issue("p", Tier.PARTNER, ["partner"], None)
    headers = {"X-API-Key": key, "Authorization": "Bearer abc"}
    assert (await whoami.get("/whoami", headers=headers)).status_code == 401


async def test_health_is_answered_whatever_the_credential(whoami: httpx.AsyncClient) -> None:
    answer = await whoami.get("/healthz", headers={"X-API-Key": "forged"})
    assert answer.status_code == 200
