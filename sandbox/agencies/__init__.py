"""One module per agency, each exposing ``AGENCY`` (a :class:`sandbox.server.Agency`).

Modules are found by listing this package, so adding an agency is adding its module.
"""

from __future__ import annotations

import importlib
import pkgutil

from sandbox.server import Agency

__all__ = ["ALL"]


def _discover() -> list[Agency]:
    found = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        agency = getattr(importlib.import_module(f"{__name__}.{module.name}"), "AGENCY", None)
        if isinstance(agency, Agency):
            found.append(agency)
    return found


ALL: list[Agency] = _discover()
