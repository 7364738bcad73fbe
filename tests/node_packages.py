"""Pinned npm packages for the tests that run Node.js, installed once into a cache folder.

The cache folders live under the repository's git-ignored ``.cache/``; a test module names its
own folder and its packages with exact versions, and is skipped (with the reason shown) where
``node`` or ``npm`` is not on PATH.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

__all__ = ["CACHE_ROOT", "install_npm_packages", "installed_version", "skip_without_node"]

CACHE_ROOT = Path(__file__).parents[1] / ".cache"
INSTALL_TIMEOUT_SECONDS = 300


def skip_without_node(purpose: str) -> None:
    """Skip the calling test, naming ``purpose``, where ``node`` or ``npm`` is missing."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{purpose}: {' and '.join(missing)} not on PATH")


def installed_version(cache: Path, package: str) -> str | None:
    """The version of ``package`` installed in ``cache``; None when it is not there."""
    manifest = cache / "node_modules" / package / "package.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


def install_npm_packages(cache: Path, packages: Mapping[str, str]) -> None:
    """Install each package at its pinned version into ``cache``, unless all are there already."""
    wanted = [f"{name}@{version}" for name, version in sorted(packages.items())]
    if all(installed_version(cache, name) == version for name, version in packages.items()):
        return
    cache.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(cache)]
    subprocess.run([*command, *wanted], check=True, timeout=INSTALL_TIMEOUT_SECONDS)
    for name, version in packages.items():
        assert installed_version(cache, name) == version, name
