"""Deterministic data for the sandbox, derived from the registry's codes with a fixed seed.

The same seed and the same registry give the same answers on every machine, so a test can
compute what an agency will say (``rng_for("dopa_stat", "840503", "6812")``).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from central_codes.snapshot import Snapshot

__all__ = ["DEFAULT_SEED", "SandboxData", "rng_for"]

DEFAULT_SEED = 2568


def rng_for(seed: int, *parts: str) -> random.Random:
    """A random generator fixed by the seed and the parts (never by Python's hash salt)."""
    digest = hashlib.sha256("|".join((str(seed), *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True, eq=False)
class SandboxData:
    """What every agency's data is derived from."""

    snapshot: Snapshot
    seed: int = DEFAULT_SEED

    def rng(self, *parts: str) -> random.Random:
        """The generator for one agency and key."""
        return rng_for(self.seed, *parts)
