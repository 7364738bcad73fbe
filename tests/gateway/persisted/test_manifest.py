"""Manifests of registered documents: both shapes read, hashes checked."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from gateway.persisted import read_manifest
from gateway.persisted.manifest import sha256_of
from gateway.setting_error import SettingError

DOCUMENT = "query Provinces { provinces { code } }"


@pytest.mark.parametrize(
    "content",
    [
        {
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [
                {"id": sha256_of(DOCUMENT), "name": "Provinces", "type": "query", "body": DOCUMENT}
            ],
        },
        {sha256_of(DOCUMENT): DOCUMENT},
    ],
)
def test_both_shapes_are_read(tmp_path: Path, content: object) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(orjson.dumps(content))
    assert read_manifest(path) == {sha256_of(DOCUMENT): DOCUMENT}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"' + b"0" * 64 + b'": "{ provinces { code } }"}', "is not the hash of its document"),
        (b"[1, 2]", "not an Apollo persisted query manifest"),
        (b"{not json", "cannot read"),
    ],
)
def test_a_bad_manifest_names_its_problem(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(content)
    with pytest.raises(SettingError, match=problem) as caught:
        read_manifest(path)
    assert caught.value.key == "GATEWAY_TRUSTED_DOCUMENTS_MANIFEST"
