"""Operation limits: depth, aliases, tokens and an estimated cost, checked once per document.

A document over a limit is refused before any resolver runs, with ``QUERY_TOO_COMPLEX`` and
``extensions {limit, maximum, actual}``. Depth, aliases and tokens are checked before
validation (validating an alias bomb is itself costly); the cost needs the schema's types and
the registry's list sizes, so it is estimated after validation, once per release.
"""

from __future__ import annotations

from gateway.limits.cost import CostModel, ListSizes
from gateway.limits.shape import OperationLimits, shape_errors, too_complex

__all__ = ["CostModel", "ListSizes", "OperationLimits", "shape_errors", "too_complex"]
