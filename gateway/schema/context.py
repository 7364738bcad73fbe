"""What every resolver can reach: the request's registry view, its id, and (later) its loaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import strawberry

if TYPE_CHECKING:
    from gateway.connectors import Connectors
    from gateway.registry import RegistryView

__all__ = ["GraphContext", "Info"]


@dataclass
class GraphContext:
    """Made once per request by the HTTP layer."""

    request_id: str
    registry: RegistryView
    connectors: Connectors | None = None


Info = strawberry.Info[GraphContext, None]
