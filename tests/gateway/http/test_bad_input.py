"""A corpus of bad requests: each gets its own code and HTTP status, and the server keeps answering.

Bombs (depth, aliases, tokens, cost), huge strings, wrong types, invalid codes, malformed JSON,
persisted-query mistakes, and forged, expired or unsigned tokens and unknown keys, against one
gateway (its lifespan running, bearer tokens checked against a key of the test's own).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import orjson
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.persisted.manifest import sha256_of
from gateway.settings import Settings

ISSUER, AUDIENCE = "https://id.moi.go.th", "moi-gateway"
JSON = {"Content-Type": "application/json"}
STRICT = {"Accept": "application/graphql-response+json"}
KOH_TAO = '{ subdistrict(code: "840503") { nameTh } }'
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(key: Any = _KEY, algorithm: str = "RS256", **claims: Any) -> str:
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "corpus", "exp": int(time.time()) + 3600}
    return jwt.encode({**body, **claims}, key, algorithm=algorithm)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Bad:
    """One entry: a request, and the status and ``extensions.code`` it must get."""

    name: str
    status: int
    code: str
    method: str = "POST"
    json: Any = None
    content: bytes | None = None
    params: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    async def send(self, client: httpx.AsyncClient) -> httpx.Response:
        headers = {**JSON, **self.headers} if self.method == "POST" else self.headers
        content = self.content if self.json is None else orjson.dumps(self.json)
        return await client.request(
            self.method, "/graphql", content=content, params=self.params, headers=headers
        )


def _nested(depth: int) -> str:
    return (
        '{ district(code: "8405") { '
        + "subdistricts { district { " * depth
        + "code"
        + " } }" * depth
        + " } }"
    )


def _persisted(sha256: str, query: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}}}
    return body if query is None else {**body, "query": query}


CORPUS = [
    # operation limits
    Bad("depth bomb", 400, "QUERY_TOO_COMPLEX", json={"query": _nested(10)}, headers=STRICT),
    Bad(
        "alias bomb",
        400,
        "QUERY_TOO_COMPLEX",
        headers=STRICT,
        json={
            "query": "{ " + " ".join(f"a{i}: registry {{ version }}" for i in range(1000)) + " }"
        },
    ),
    Bad(
        "token bomb",
        400,
        "QUERY_TOO_COMPLEX",
        headers=STRICT,
        json={"query": "{ registry { " + "version " * 8000 + "} }"},
    ),
    Bad(
        "cost bomb",
        400,
        "QUERY_TOO_COMPLEX",
        headers=STRICT,
        json={"query": "{ provinces { districts { subdistricts { population { total } } } } }"},
    ),
    Bad(
        "fragment fan-out bomb",
        400,
        "QUERY_TOO_COMPLEX",
        headers=STRICT,
        json={
            "query": (
                "{ ...F0 } "
                + " ".join(
                    f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30)
                )
                + " fragment F30 on Query { a: registry { version } }"
            )
        },
    ),
    # huge input
    Bad("body over the limit", 413, "BAD_REQUEST", json={"query": KOH_TAO, "pad": "x" * 1_100_000}),
    Bad(
        "document over 100,000 characters",
        400,
        "GRAPHQL_PARSE_FAILED",
        headers=STRICT,
        json={"query": '{ subdistrict(code: "' + "9" * 200_000 + '") { code } }'},
    ),
    Bad(
        "huge string in a variable",
        200,
        "BAD_AREA_CODE",
        json={
            "query": "query($c: ID!) { subdistrict(code: $c) { code } }",
            "variables": {"c": "1" * 500_000},
        },
    ),
    # wrong types and invalid values
    Bad(
        "string for an Int variable",
        400,
        "BAD_USER_INPUT",
        headers=STRICT,
        json={
            "query": 'query($n: Int!) { searchAreas(query: "เกาะ", first: $n) { score } }',
            "variables": {"n": "ten"},
        },
    ),
    Bad(
        "string literal for an Int",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        headers=STRICT,
        json={"query": '{ searchAreas(query: "เกาะ", first: "ten") { score } }'},
    ),
    Bad(
        "page size out of range",
        200,
        "BAD_USER_INPUT",
        json={"query": '{ searchAreas(query: "เกาะ", first: 0) { score } }'},
    ),
    Bad(
        "invalid area code",
        200,
        "BAD_AREA_CODE",
        json={"query": '{ subdistrict(code: "84x503") { code } }'},
    ),
    Bad(
        "unknown field",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        headers=STRICT,
        json={"query": "{ nope }"},
    ),
    Bad(
        "fragment cycle",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        headers=STRICT,
        json={"query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"},
    ),
    Bad(
        "syntax error",
        400,
        "GRAPHQL_PARSE_FAILED",
        headers=STRICT,
        json={"query": "{ subdistrict(code: "},
    ),
    Bad(
        "unknown operation name",
        400,
        "BAD_REQUEST",
        headers=STRICT,
        json={"query": "query A { registry { version } }", "operationName": "B"},
    ),
    # malformed requests
    Bad("malformed JSON", 400, "BAD_REQUEST", content=b'{"query": "{ registry { version } }"'),
    Bad(
        "JSON nested past any parser's depth",
        400,
        "BAD_REQUEST",
        content=b"[" * 100_000 + b"]" * 100_000,
    ),
    Bad("invalid UTF-8", 400, "BAD_REQUEST", content=b'{"query": "\xff\xfe"}'),
    Bad("body that is not an object", 400, "BAD_REQUEST", json=[{"query": KOH_TAO}]),
    Bad("query that is not a string", 400, "BAD_REQUEST", json={"query": 42}),
    Bad(
        "variables that are not a map",
        400,
        "BAD_REQUEST",
        json={"query": KOH_TAO, "variables": [1]},
    ),
    Bad(
        "wrong content type",
        415,
        "BAD_REQUEST",
        content=b"query=x",
        headers={"Content-Type": "text/plain"},
    ),
    Bad("GET without a query", 400, "BAD_REQUEST", method="GET", params={"variables": "{}"}),
    Bad(
        "mutation by GET",
        405,
        "BAD_REQUEST",
        method="GET",
        params={
            "query": 'mutation { fileComplaint(input: {category: ROAD, subject: "s", detail: "d", '
            'areaCode: "840503", contact: {name: "n"}, idempotencyKey: "k"}) { replayed } }'
        },
    ),
    Bad("unsupported method", 405, "BAD_REQUEST", method="PUT", json={"query": KOH_TAO}),
    Bad("OPTIONS", 405, "BAD_REQUEST", method="OPTIONS"),
    Bad(
        "unacceptable Accept",
        406,
        "BAD_REQUEST",
        json={"query": KOH_TAO},
        headers={"Accept": "text/csv"},
    ),
    # persisted documents
    Bad("unknown persisted hash", 404, "PERSISTED_QUERY_NOT_FOUND", json=_persisted("ab" * 32)),
    Bad(
        "unknown persisted hash by GET",
        404,
        "PERSISTED_QUERY_NOT_FOUND",
        method="GET",
        params={"extensions": orjson.dumps(_persisted("cd" * 32)["extensions"]).decode()},
    ),
    Bad("hash that is not the document's", 400, "BAD_REQUEST", json=_persisted("ab" * 32, KOH_TAO)),
    Bad("hash that is not hexadecimal", 400, "BAD_REQUEST", json=_persisted("not-a-hash")),
    Bad(
        "persisted query version 2",
        400,
        "BAD_REQUEST",
        json={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": sha256_of(KOH_TAO)}}},
    ),
    # credentials
    Bad(
        "unknown API key",
        401,
        "UNAUTHENTICATED",
        json={"query": KOH_TAO},
        headers={"X-API-Key": "moi_000000000000_" + "x" * 43},
    ),
    Bad(
        "API key of the wrong shape",
        401,
        "UNAUTHENTICATED",
        json={"query": KOH_TAO},
        headers={"X-API-Key": "' OR 1=1 --"},
    ),
    Bad(
        "forged token",
        401,
        "UNAUTHENTICATED",
        json={"query": KOH_TAO},
        headers=_bearer(_token(key=_OTHER_KEY)),
    ),
    Bad(
        "expired token",
        401,
        "UNAUTHENTICATED",
        json={"query": KOH_TAO},
        headers=_bearer(_token(exp=int(time.time()) - 60)),
    ),
    Bad(
        "unsigned token",
        401,
        "UNAUTHENTICATED",
        json={"query": KOH_TAO},
        headers=_bearer(
            jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "x"}, None, algorithm="none")
        ),
    ),
    Bad(
        "token for another audience",
        401,
        "UNAUTHENTICATED",
        json={"query": KOH_TAO},
        headers=_bearer(_token(aud="someone-else")),
    ),
    Bad(
        "token that is not a JWT",
        401,
        "UNAUTHENTICATED",
        json={"query": KOH_TAO},
        headers=_bearer("not.a.token"),
    ),
]


@pytest.fixture(scope="module")
async def corpus_client(
    settings_factory: Callable[..., Settings],
) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway that checks bearer tokens against the corpus's key; anonymous budget ample."""
    public = _KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings = settings_factory(
        jwt_issuer=ISSUER, jwt_key=public.decode(), rate_limit_public=100_000
    )
    app: Starlette = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client


@pytest.mark.parametrize("bad", CORPUS, ids=[b.name for b in CORPUS])
async def test_each_bad_request_gets_its_code_and_status(
    corpus_client: httpx.AsyncClient, bad: Bad
) -> None:
    answer = await bad.send(corpus_client)
    assert answer.status_code == bad.status, answer.text[:300]
    codes = [e["extensions"]["code"] for e in answer.json()["errors"]]
    assert bad.code in codes, codes
    assert "INTERNAL" not in codes


async def test_after_the_whole_corpus_the_gateway_still_answers(
    corpus_client: httpx.AsyncClient,
) -> None:
    for bad in CORPUS:
        await bad.send(corpus_client)
    answer = await corpus_client.post("/graphql", json={"query": KOH_TAO})
    assert answer.status_code == 200
    assert answer.json() == {"data": {"subdistrict": {"nameTh": "เกาะเต่า"}}}
    token = await corpus_client.post("/graphql", json={"query": KOH_TAO}, headers=_bearer(_token()))
    assert token.json() == {"data": {"subdistrict": {"nameTh": "เกาะเต่า"}}}
