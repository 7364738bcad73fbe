"""The persisted-document protocol over both stores: in process and Redis."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gateway.access import ANONYMOUS, Principal, Tier, tier_scopes
from gateway.http.params import GraphQLParams
from gateway.persisted import (
    DocumentStore,
    MemoryDocuments,
    PersistedDocuments,
    PersistedProblem,
    RedisDocuments,
)
from gateway.persisted.manifest import sha256_of

REGISTERED = "{ provinces { code } }"
OTHER = "{ registry { version } }"
PARTNER = Principal("key-1", Tier.PARTNER, tier_scopes(Tier.PARTNER))


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> DocumentStore:
    if request.param == "memory":
        return MemoryDocuments(100)
    return RedisDocuments(request.getfixturevalue("shared_redis"))


def _params(query: str = "", sha256: str | None = None, version: object = 1) -> GraphQLParams:
    extensions = (
        None if sha256 is None else {"persistedQuery": {"version": version, "sha256Hash": sha256}}
    )
    return GraphQLParams(query, None, None, extensions)


async def _problem(call: Callable[[], object]) -> PersistedProblem:
    with pytest.raises(PersistedProblem) as caught:
        await call()  # type: ignore[misc]
    return caught.value


async def test_an_unknown_hash_then_the_document_then_the_hash_alone(store: DocumentStore) -> None:
    documents = PersistedDocuments(store, {})
    sha = sha256_of(OTHER)
    problem = await _problem(lambda: documents.resolve(_params(sha256=sha), ANONYMOUS))
    assert (problem.status, problem.code, problem.message) == (
        404,
        "PERSISTED_QUERY_NOT_FOUND",
        "PersistedQueryNotFound",
    )
    assert (await documents.resolve(_params(OTHER, sha), ANONYMOUS)).query == OTHER
    assert (await documents.resolve(_params(sha256=sha), ANONYMOUS)).query == OTHER
    assert await store.get(sha) == OTHER


async def test_another_instance_knows_what_one_stored(shared_redis: object) -> None:
    first = PersistedDocuments(RedisDocuments(shared_redis), {})  # type: ignore[arg-type]
    second = PersistedDocuments(RedisDocuments(shared_redis), {})  # type: ignore[arg-type]
    sha = sha256_of(OTHER)
    await first.resolve(_params(OTHER, sha), ANONYMOUS)
    assert (await second.resolve(_params(sha256=sha), ANONYMOUS)).query == OTHER


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (_params(OTHER, sha256_of(REGISTERED)), "does not match"),
        (_params(sha256="abc"), "64 hexadecimal"),
        (_params(sha256=sha256_of(OTHER), version=2), "version: 1"),
    ],
)
async def test_a_bad_persisted_query_is_bad_request(
    store: DocumentStore, params: GraphQLParams, message: str
) -> None:
    problem = await _problem(lambda: PersistedDocuments(store, {}).resolve(params, ANONYMOUS))
    assert (problem.status, problem.code) == (400, "BAD_REQUEST")
    assert message in problem.message
    assert await store.get(sha256_of(OTHER)) is None


async def test_manifest_documents_answer_by_hash_without_being_sent(store: DocumentStore) -> None:
    documents = PersistedDocuments(store, {sha256_of(REGISTERED): REGISTERED})
    resolved = await documents.resolve(_params(sha256=sha256_of(REGISTERED)), ANONYMOUS)
    assert resolved.query == REGISTERED


async def test_trusted_mode_public_callers_run_only_registered_documents(
    store: DocumentStore,
) -> None:
    documents = PersistedDocuments(store, {sha256_of(REGISTERED): REGISTERED}, trusted_only=True)
    assert (await documents.resolve(_params(REGISTERED), ANONYMOUS)).query == REGISTERED
    for refused in (_params(OTHER), _params(OTHER, sha256_of(OTHER))):
        problem = await _problem(lambda p=refused: documents.resolve(p, ANONYMOUS))  # type: ignore[misc]
        assert (problem.status, problem.code) == (403, "FORBIDDEN")
    # a partner may send any document, and register it; the public still may not run it
    assert (await documents.resolve(_params(OTHER, sha256_of(OTHER)), PARTNER)).query == OTHER
    assert (await documents.resolve(_params(sha256=sha256_of(OTHER)), PARTNER)).query == OTHER
    problem = await _problem(lambda: documents.resolve(_params(sha256=sha256_of(OTHER)), ANONYMOUS))
    assert problem.code == "PERSISTED_QUERY_NOT_FOUND"
