"""Rate limits: a token bucket per caller, in process or in Redis (the same tests run on both),
counted on an injected clock; 429 with RATE_LIMITED, Retry-After and the RateLimit headers."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from gateway.access import ANONYMOUS, Authenticator, KeyStore, Principal, Tier
from gateway.access.buckets import Buckets, MemoryBuckets, RedisBuckets
from gateway.access.rate_limit import RateLimiter, TierLimits
from gateway.shared_state import SharedRedis, open_redis
from tests.gateway.access.conftest import whoami_app


class Clock:
    """Seconds that move only when a test moves them."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis"])
def buckets(request: pytest.FixtureRequest) -> Buckets:
    """Buckets in process, or in Redis (skipped without MOI_TEST_REDIS_URL)."""
    if request.param == "memory":
        return MemoryBuckets()
    redis: SharedRedis = request.getfixturevalue("shared_redis")
    return RedisBuckets(redis)


async def test_a_bucket_spends_its_minute_then_refills_a_token_at_a_time(buckets: Buckets) -> None:
    now = 1_800_000_000.0
    taken = [await buckets.take("k", 3, now) for _ in range(4)]
    assert [v.allowed for v in taken] == [True, True, True, False]
    assert [v.remaining for v in taken] == [2, 1, 0, 0]
    assert taken[3].retry_after == pytest.approx(20.0)  # 60 s / 3 tokens
    assert taken[3].reset == pytest.approx(60.0)
    assert not (await buckets.take("k", 3, now + 19.9)).allowed
    assert (await buckets.take("k", 3, now + 20.0)).allowed
    assert not (await buckets.take("k", 3, now + 20.0)).allowed
    refilled = [await buckets.take("k", 3, now + 200.0) for _ in range(4)]
    assert [v.allowed for v in refilled] == [True, True, True, False]


async def test_buckets_are_kept_apart_and_an_earlier_clock_adds_nothing(buckets: Buckets) -> None:
    now = 1_800_000_000.0
    assert (await buckets.take("a", 1, now)).allowed
    assert (await buckets.take("b", 1, now)).allowed
    assert not (await buckets.take("a", 1, now - 120.0)).allowed  # another instance, behind
    assert (await buckets.take("a", 1, now + 60.0)).allowed


def _limiter(buckets: Buckets, clock: Clock, public: int = 2) -> RateLimiter:
    return RateLimiter(buckets, TierLimits(public=public, partner=5, internal=0), clock)


async def test_anonymous_callers_are_counted_by_address_and_keys_by_their_own_rate(
    buckets: Buckets,
) -> None:
    limiter = _limiter(buckets, Clock())
    here = [await limiter.take(ANONYMOUS, "10.0.0.1") for _ in range(3)]
    assert [v.allowed for v in here if v] == [True, True, False]
    there = await limiter.take(ANONYMOUS, "10.0.0.2")
    assert there is not None
    assert there.allowed
    partner = Principal("key:p", Tier.PARTNER, frozenset({"partner"}))
    assert (await limiter.take(partner, "10.0.0.1")).limit == 5  # type: ignore[union-attr]
    own = Principal("key:q", Tier.PARTNER, frozenset({"partner"}), rate_per_minute=7)
    assert (await limiter.take(own, None)).limit == 7  # type: ignore[union-attr]
    internal = Principal("key:i", Tier.INTERNAL, frozenset({"internal"}))
    assert await limiter.take(internal, None) is None  # 0: unlimited


async def test_when_redis_fails_requests_go_through_and_it_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    unreachable = open_redis("redis://127.0.0.1:1/0", "moi-test:")
    assert unreachable is not None
    limiter = _limiter(RedisBuckets(unreachable), Clock())
    try:
        assert await limiter.take(ANONYMOUS, "10.0.0.1") is None
    finally:
        await unreachable.close()
    assert "rate limit not checked" in caplog.text


@pytest.fixture
def limited(keys: KeyStore, buckets: Buckets) -> tuple[Starlette, Clock]:
    """The whoami app behind a limiter of 2 a minute for anonymous callers, and its clock."""
    clock = Clock()
    return whoami_app(Authenticator(keys), _limiter(buckets, clock)), clock


def _client(app: Starlette, address: str = "10.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def test_a_spent_budget_is_429_with_retry_after_and_ratelimit_headers(
    limited: tuple[Starlette, Clock],
) -> None:
    app, clock = limited
    async with _client(app) as client:
        answers = [await client.get("/whoami") for _ in range(3)]
        clock.now += 30.0
        after = await client.get("/whoami")
        health = [await client.get("/healthz") for _ in range(3)]
    first, second, refused = answers
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert first.headers["RateLimit-Policy"] == '"default";q=2;w=60'
    assert first.headers["RateLimit"] == '"default";r=1;t=30'  # one token back in 30 s
    assert second.headers["RateLimit"] == '"default";r=0;t=60'
    assert refused.headers["Retry-After"] == "30"
    assert refused.headers["RateLimit"] == '"default";r=0;t=60'
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert after.status_code == 200
    assert [h.status_code for h in health] == [200, 200, 200]  # health is never counted
    assert "RateLimit" not in health[0].headers


async def test_a_key_has_its_own_budget_apart_from_its_address(
    limited: tuple[Starlette, Clock], keys: KeyStore
) -> None:
    app, _clock = limited
    key, _ = await keys.issue("p", Tier.PARTNER, ["partner"], 3)
    async with _client(app) as client:
        anonymous = [(await client.get("/whoami")).status_code for _ in range(3)]
        keyed = [
            (await client.get("/whoami", headers={"X-API-Key": key})).status_code for _ in range(4)
        ]
    assert anonymous == [200, 200, 429]
    assert keyed == [200, 200, 200, 429]


async def test_refused_credentials_spend_their_addresss_anonymous_budget(
    limited: tuple[Starlette, Clock],
) -> None:
    app, _clock = limited
    forged = {"X-API-Key": "moi_000000000000_forged"}
    async with _client(app) as client:
        guesses = [(await client.get("/whoami", headers=forged)).status_code for _ in range(3)]
        anonymous = await client.get("/whoami")
    async with _client(app, "10.0.0.9") as elsewhere:
        other = await elsewhere.get("/whoami", headers=forged)
    assert guesses == [401, 401, 429]
    assert anonymous.status_code == 429
    assert other.status_code == 401
