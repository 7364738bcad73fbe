"""Persisted documents: Automatic Persisted Queries and trusted documents.

A client sends ``extensions.persistedQuery {version: 1, sha256Hash}`` instead of the
document's text (Apollo's protocol): a known hash runs its document, an unknown one is answered
``PERSISTED_QUERY_NOT_FOUND`` and the client sends the text with the hash once, which the
gateway checks and keeps. Registered documents come from a manifest file; with trusted
documents on, public callers may run only those.
"""

from __future__ import annotations

from gateway.persisted.documents import PersistedDocuments, PersistedProblem
from gateway.persisted.manifest import read_manifest
from gateway.persisted.store import DocumentStore, MemoryDocuments, RedisDocuments, open_store

__all__ = [
    "DocumentStore",
    "MemoryDocuments",
    "PersistedDocuments",
    "PersistedProblem",
    "RedisDocuments",
    "open_store",
    "read_manifest",
]
