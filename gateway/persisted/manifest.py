"""Registered documents, read from a manifest file.

Two shapes are read: Apollo's persisted query manifest
(``{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "name",
"type", "body"}]}``) and a plain ``{"<sha256>": "<document>"}`` map (Relay, GraphQL Codegen).
Each document's hash is checked against its text, so a manifest cannot smuggle in a document
under another's hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from gateway.setting_error import SettingError

__all__ = ["read_manifest", "sha256_of"]

_SETTING = "GATEWAY_TRUSTED_DOCUMENTS_MANIFEST"


def sha256_of(document: str) -> str:
    """The lowercase hex SHA-256 of a document's UTF-8 text, as APQ clients compute it."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def read_manifest(path: Path) -> Mapping[str, str]:
    """Documents by hash; a :class:`SettingError` naming the file's problem otherwise."""
    try:
        content: Any = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise SettingError(_SETTING, f"cannot read {path}: {exc}") from None
    pairs = _pairs(content)
    for sha256, document in pairs.items():
        if sha256_of(document) != sha256.lower():
            raise SettingError(_SETTING, f"{path}: {sha256} is not the hash of its document")
    return {sha256.lower(): document for sha256, document in pairs.items()}


def _pairs(content: Any) -> dict[str, str]:
    if isinstance(content, dict) and isinstance(content.get("operations"), list):
        operations = content["operations"]
        if all(isinstance(o, dict) and _strings(o, "id", "body") for o in operations):
            return {o["id"]: o["body"] for o in operations}
    elif isinstance(content, dict) and all(isinstance(v, str) for v in content.values()):
        return dict(content)
    raise SettingError(
        _SETTING, "not an Apollo persisted query manifest nor a hash -> document map"
    )


def _strings(operation: Mapping[str, Any], *keys: str) -> bool:
    return all(isinstance(operation.get(k), str) for k in keys)
