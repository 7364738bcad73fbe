"""Bearer tokens: JWTs checked for signature, issuer, audience and expiry, keys from a JWKS."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import httpx
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.access import Authenticator, KeyStore, Tier
from gateway.access.jwks import JwksKeys, StaticKey
from gateway.access.tokens import REMEMBER_SECONDS, JwtPolicy, JwtVerifier, jwt_verifier
from gateway.errors import Unauthenticated, UpstreamUnavailable
from gateway.settings import SettingError, Settings
from tests.gateway.access.conftest import whoami_app

POLICY = JwtPolicy("https://id.moi.go.th", "moi-gateway", ("RS256",), "scope")
Signer = Callable[..., str]


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> str:
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return public.decode()


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    found: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**found, "kid": kid, "use": "sig", "alg": "RS256"}


@pytest.fixture(scope="module")
def issuer_key() -> rsa.RSAPrivateKey:
    return _private_key()


@pytest.fixture(scope="module")
def sign(issuer_key: rsa.RSAPrivateKey) -> Signer:
    """Signs claims (the policy's issuer and audience, a subject, an hour to live by default)."""

    def make(
        key: Any = None, kid: str | None = "k1", algorithm: str = "RS256", **claims: Any
    ) -> str:
        now = int(time.time())
        body = {"iss": POLICY.issuer, "aud": POLICY.audience, "sub": "dla-app", "exp": now + 3600}
        body.update(claims)
        headers = {"kid": kid} if kid else None
        return jwt.encode(
            {k: v for k, v in body.items() if v is not None},
            issuer_key if key is None else key,
            algorithm=algorithm,
            headers=headers,
        )

    return make


@pytest.fixture
def verifier(issuer_key: rsa.RSAPrivateKey) -> JwtVerifier:
    return JwtVerifier(POLICY, StaticKey(_pem(issuer_key)))


async def test_a_good_token_is_its_subjects_principal(verifier: JwtVerifier, sign: Signer) -> None:
    principal = await verifier.principal(sign(scope="partner"))
    assert (principal.id, principal.tier, principal.scopes) == (
        "jwt:dla-app",
        Tier.PARTNER,
        frozenset({"partner"}),
    )
    internal = await verifier.principal(sign(scope="partner internal"))
    assert internal.tier is Tier.INTERNAL
    assert (await verifier.principal(sign())).tier is Tier.PUBLIC


class CountingKey(StaticKey):
    """A configured key that counts how often a signature check asked for it."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.asked = 0

    async def key_for(self, kid: str | None) -> Any:
        self.asked += 1
        return await super().key_for(kid)


async def test_a_good_token_is_checked_once_until_it_expires_or_a_minute_passes(
    issuer_key: rsa.RSAPrivateKey, sign: Signer
) -> None:
    now = [time.time()]
    key = CountingKey(_pem(issuer_key))
    verifier = JwtVerifier(POLICY, key, clock=lambda: now[0])
    long_lived, short_lived = sign(), sign(exp=int(now[0]) + 10)
    for _ in range(3):
        await verifier.principal(long_lived)
        await verifier.principal(short_lived)
    assert key.asked == 2
    now[0] += 10.0  # the short-lived token's exp: checked again (and, with leeway, still good)
    await verifier.principal(long_lived)
    await verifier.principal(short_lived)
    assert key.asked == 3
    now[0] += REMEMBER_SECONDS
    await verifier.principal(long_lived)
    assert key.asked == 4


async def test_a_refused_token_is_checked_again_every_time(
    issuer_key: rsa.RSAPrivateKey, sign: Signer
) -> None:
    key = CountingKey(_pem(issuer_key))
    verifier = JwtVerifier(POLICY, key)
    forged = sign(key=_private_key())
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            await verifier.principal(forged)
    assert key.asked == 2


async def test_scopes_may_be_a_list_in_a_claim_of_its_own(
    issuer_key: rsa.RSAPrivateKey, sign: Signer
) -> None:
    policy = JwtPolicy(POLICY.issuer, POLICY.audience, ("RS256",), "permissions")
    verifier = JwtVerifier(policy, StaticKey(_pem(issuer_key)))
    principal = await verifier.principal(sign(permissions=["partner", 7]))
    assert principal.scopes == {"partner"}


@pytest.mark.parametrize(
    ("claims", "refusal"),
    [
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"iss": "https://elsewhere.example"}, "another issuer"),
        ({"aud": "another-api"}, "another audience"),
        ({"sub": None}, "lacks a required claim"),
        ({"exp": None}, "lacks a required claim"),
        ({"nbf": int(time.time()) + 3600}, "not valid yet"),
    ],
)
async def test_a_token_not_for_us_now_is_refused(
    verifier: JwtVerifier, sign: Signer, claims: dict[str, Any], refusal: str
) -> None:
    with pytest.raises(Unauthenticated, match=refusal):
        await verifier.principal(sign(**claims))


async def test_a_forged_token_is_refused(
    verifier: JwtVerifier, sign: Signer, issuer_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(Unauthenticated, match="signature"):
        await verifier.principal(sign(key=_private_key()))
    header, _payload, signature = sign().split(".")
    tampered = jwt.utils.base64url_encode(b'{"sub":"admin","scope":"internal"}').decode()
    with pytest.raises(Unauthenticated, match="signature"):
        await verifier.principal(f"{header}.{tampered}.{signature}")
    unsigned = jwt.encode({"iss": POLICY.issuer, "sub": "x"}, None, algorithm="none")
    with pytest.raises(Unauthenticated):
        await verifier.principal(unsigned)
    with pytest.raises(Unauthenticated, match="not a JWT"):
        await verifier.principal("not.a.token")


async def test_the_public_key_used_as_an_hmac_secret_is_refused(
    verifier: JwtVerifier, issuer_key: rsa.RSAPrivateKey
) -> None:
    body = {"iss": POLICY.issuer, "aud": POLICY.audience, "sub": "x", "exp": time.time() + 60}
    encode = jwt.utils.base64url_encode
    signed = b".".join(
        encode(json.dumps(part).encode()) for part in ({"alg": "HS256", "kid": "k1"}, body)
    )
    mac = hmac.new(_pem(issuer_key).encode(), signed, hashlib.sha256).digest()
    forged = (signed + b"." + encode(mac)).decode()
    with pytest.raises(Unauthenticated, match="algorithm"):
        await verifier.principal(forged)


class Issuer:
    """An identity provider's JWKS endpoint, counting its requests, and ways to ask it."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.requests = 0
        self.down = False
        self.now = 0.0
        self.url = ""
        self.session: aiohttp.ClientSession | None = None

    def verifier(self, cache_seconds: float) -> JwtVerifier:
        """A verifier over this JWKS, on the clock :attr:`now`."""
        keys = JwksKeys(
            self.url, lambda: self.session, cache_seconds=cache_seconds, clock=lambda: self.now
        )
        return JwtVerifier(POLICY, keys, clock=lambda: self.now)

    def gateway(self, keys: KeyStore) -> httpx.AsyncClient:
        """A client of an app configured (through settings) to accept this issuer's tokens."""
        settings = Settings(jwt_issuer=POLICY.issuer, jwt_jwks_url=self.url)
        authenticator = Authenticator(keys, jwt_verifier(settings, lambda: self.session))
        transport = httpx.ASGITransport(app=whoami_app(authenticator))
        return httpx.AsyncClient(transport=transport, base_url="http://gateway")

    async def jwks(self, _request: web.Request) -> web.Response:
        self.requests += 1
        if self.down:
            return web.Response(status=503)
        return web.json_response({"keys": self.keys})


@pytest.fixture
async def issuer() -> AsyncIterator[Issuer]:
    issuer = Issuer()
    app = web.Application()
    app.router.add_get("/jwks.json", issuer.jwks)
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        issuer.url, issuer.session = str(server.make_url("/jwks.json")), session
        yield issuer


async def test_jwks_keys_are_fetched_once_and_kept(
    issuer: Issuer, issuer_key: rsa.RSAPrivateKey, sign: Signer
) -> None:
    issuer.keys = [_jwk(issuer_key, "k1")]
    verifier = issuer.verifier(cache_seconds=300)
    for _ in range(3):
        await verifier.principal(sign())
    assert issuer.requests == 1
    issuer.now = 300.0
    await verifier.principal(sign())
    assert issuer.requests == 2


async def test_a_new_key_id_is_fetched_early_but_not_on_every_token(
    issuer: Issuer, issuer_key: rsa.RSAPrivateKey, sign: Signer
) -> None:
    issuer.keys = [_jwk(issuer_key, "k1")]
    verifier = issuer.verifier(cache_seconds=300)
    await verifier.principal(sign())
    rotated = _private_key()
    issuer.keys.append(_jwk(rotated, "k2"))
    issuer.now = 29.0
    with pytest.raises(Unauthenticated, match="does not list"):
        await verifier.principal(sign(key=rotated, kid="k2"))  # too soon to ask again
    assert issuer.requests == 1
    issuer.now = 30.0
    assert (await verifier.principal(sign(key=rotated, kid="k2"))).id == "jwt:dla-app"
    assert issuer.requests == 2
    with pytest.raises(Unauthenticated, match="does not list"):
        await verifier.principal(sign(kid="k9"))
    assert issuer.requests == 2


async def test_an_unreachable_issuer_uses_the_keys_it_gave_before(
    issuer: Issuer, issuer_key: rsa.RSAPrivateKey, sign: Signer
) -> None:
    issuer.down = True
    verifier = issuer.verifier(cache_seconds=60)
    with pytest.raises(UpstreamUnavailable):
        await verifier.principal(sign())
    issuer.down, issuer.keys = False, [_jwk(issuer_key, "k1")]
    issuer.now = 60.0
    await verifier.principal(sign())
    issuer.down = True
    issuer.now = 120.0
    assert (await verifier.principal(sign())).id == "jwt:dla-app"
    assert issuer.requests == 3


async def test_the_gateway_takes_bearer_tokens_from_its_settings(
    keys: KeyStore, issuer: Issuer, issuer_key: rsa.RSAPrivateKey, sign: Signer
) -> None:
    issuer.keys = [_jwk(issuer_key, "k1")]
    async with issuer.gateway(keys) as client:
        good = await client.get(
            "/whoami", headers={"Authorization": f"Bearer {sign(scope='partner')}"}
        )
        expired = await client.get(
            "/whoami", headers={"Authorization": f"Bearer {sign(exp=int(time.time()) - 60)}"}
        )
        issuer.keys, issuer.down = [], True
        unknown_kid = await client.get(
            "/whoami", headers={"Authorization": f"Bearer {sign(kid='k7')}"}
        )
    assert good.json() == {"id": "jwt:dla-app", "tier": "partner", "scopes": ["partner"]}
    assert expired.status_code == 401
    assert "expired" in expired.json()["errors"][0]["message"]
    assert unknown_kid.status_code == 401  # known keys stand in; k7 is not among them


async def test_an_issuer_never_reached_is_503_not_401(
    keys: KeyStore, issuer: Issuer, sign: Signer
) -> None:
    issuer.down = True
    async with issuer.gateway(keys) as client:
        answer = await client.get("/whoami", headers={"Authorization": f"Bearer {sign()}"})
    assert answer.status_code == 503
    assert answer.json()["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"GATEWAY_JWT_ISSUER": "https://id"}, "GATEWAY_JWT_ISSUER"),
        ({"GATEWAY_JWT_JWKS_URL": "https://id/jwks.json"}, "GATEWAY_JWT_ISSUER"),
        (
            {
                "GATEWAY_JWT_ISSUER": "https://id",
                "GATEWAY_JWT_KEY": "k",
                "GATEWAY_JWT_JWKS_URL": "u",
            },
            "GATEWAY_JWT_KEY",
        ),
        (
            {
                "GATEWAY_JWT_ISSUER": "https://id",
                "GATEWAY_JWT_KEY": "k",
                "GATEWAY_JWT_ALGORITHMS": "none",
            },
            "GATEWAY_JWT_ALGORITHMS",
        ),
    ],
)
def test_a_token_setting_that_cannot_work_is_refused_at_start(
    environ: dict[str, str], named: str
) -> None:
    with pytest.raises(SettingError) as refused:
        Settings.from_env(environ)
    assert refused.value.key == named


def test_the_token_key_is_masked() -> None:
    settings = Settings.from_env({"GATEWAY_JWT_ISSUER": "https://id", "GATEWAY_JWT_KEY": "s3cret"})
    assert settings.masked()["jwt_key"] == "***"
