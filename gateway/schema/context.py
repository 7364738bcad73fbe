"""What every resolver can reach: the request's id, registry view, connectors and loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import strawberry

from gateway.errors import InternalError, UpstreamUnavailable
from gateway.loaders import Loaders

if TYPE_CHECKING:
    from gateway.alerts import AlertPoller
    from gateway.complaints import Complaints
    from gateway.connectors import ConnectorRuntime, Connectors
    from gateway.registry import RegistryView

__all__ = ["GraphContext", "Info"]


@dataclass
class GraphContext:
    """Made once per request by the HTTP layer."""

    request_id: str
    registry: RegistryView
    connectors: Connectors | None = None
    alerts: AlertPoller | None = None
    complaints: Complaints | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self)

    def connector(self, name: str) -> ConnectorRuntime:
        """The runtime of one connector; UPSTREAM_UNAVAILABLE when none are open."""
        if self.connectors is None or name not in self.connectors:
            raise UpstreamUnavailable("the connector is not open", connector=name)
        return self.connectors[name]

    def complaint_service(self) -> Complaints:
        """Where complaints are filed; INTERNAL when the app opened none."""
        if self.complaints is None:
            raise InternalError("complaints are not open")
        return self.complaints


Info = strawberry.Info[GraphContext, None]
