"""The persisted-document protocol: from a request's hash (and text) to the document to run."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gateway.access import Principal, Tier
from gateway.http.params import GraphQLParams, RequestProblem
from gateway.persisted.manifest import sha256_of
from gateway.persisted.store import DocumentStore

__all__ = ["PersistedDocuments", "PersistedProblem"]

PersistedProblem = RequestProblem
_SHA256 = re.compile(r"[0-9a-f]{64}")


class PersistedDocuments:
    """Automatic Persisted Queries over ``store``, and the registered ``manifest`` documents.

    With ``trusted_only``, a public-tier caller may run only the manifest's documents (by
    hash, or by their exact text); partner and internal callers may send any document.
    """

    def __init__(
        self, store: DocumentStore, manifest: Mapping[str, str], *, trusted_only: bool = False
    ) -> None:
        self._store = store
        self._manifest = manifest
        self._trusted_only = trusted_only

    @property
    def restricting(self) -> bool:
        """True when a request naming no persisted query may still be refused (trusted mode)."""
        return self._trusted_only

    async def resolve(self, params: GraphQLParams, principal: Principal) -> GraphQLParams:
        """The parameters with the document to run; raises :class:`PersistedProblem`."""
        restricted = self._trusted_only and principal.tier is Tier.PUBLIC
        sha256 = _requested_hash(params.extensions)
        if sha256 is None:
            if restricted and sha256_of(params.query) not in self._manifest:
                raise _unregistered()
            return params
        if params.query:
            return await self._register(params, sha256, restricted)
        document = self._manifest.get(sha256)
        if document is None and not restricted:
            document = await self._store.get(sha256)
        if document is None:
            raise PersistedProblem(404, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        return params._replace(query=document)

    async def _register(
        self, params: GraphQLParams, sha256: str, restricted: bool
    ) -> GraphQLParams:
        if sha256_of(params.query) != sha256:
            raise PersistedProblem(400, "provided sha256Hash does not match the query")
        if sha256 not in self._manifest:
            if restricted:
                raise _unregistered()
            await self._store.put(sha256, params.query)
        return params


def _requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedProblem(400, "persistedQuery must be {version: 1, sha256Hash}")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256.lower()):
        raise PersistedProblem(400, "persistedQuery.sha256Hash must be 64 hexadecimal digits")
    return sha256.lower()


def _unregistered() -> PersistedProblem:
    message = "public callers may run only registered documents; send its sha256Hash"
    return PersistedProblem(403, message, "FORBIDDEN")
