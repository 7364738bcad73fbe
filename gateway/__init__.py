"""MOI Gateway: one GraphQL graph over the central code registry and the agencies behind it."""

from __future__ import annotations

__version__ = "0.1.0"
