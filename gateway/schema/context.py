"""What every resolver can reach: the request's id and caller, registry view, connectors, loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import strawberry

from gateway.access.principal import ANONYMOUS, Principal
from gateway.errors import InternalError, UpstreamUnavailable
from gateway.loaders import Loaders

if TYPE_CHECKING:
    from gateway.alerts import AlertPoller
    from gateway.audit import AuditTrail
    from gateway.complaints import Complaints
    from gateway.connectors import ConnectorRuntime, Connectors
    from gateway.ratings import Ratings
    from gateway.registry import RegistryView
    from gateway.service_points import ServicePointDirectory, ServicePointIndex

__all__ = ["GraphContext", "Info"]


@dataclass
class GraphContext:
    """Made once per request by the HTTP layer."""

    request_id: str
    registry: RegistryView
    connectors: Connectors | None = None
    alerts: AlertPoller | None = None
    complaints: Complaints | None = None
    service_points: ServicePointDirectory | None = None
    principal: Principal = ANONYMOUS
    ratings: Ratings | None = None
    audit: AuditTrail | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self)

    def connector(self, name: str) -> ConnectorRuntime:
        """The runtime of one connector; UPSTREAM_UNAVAILABLE when none are open."""
        if self.connectors is None or name not in self.connectors:
            raise UpstreamUnavailable("the connector is not open", connector=name)
        return self.connectors[name]

    def service_point_index(self) -> ServicePointIndex:
        """The service-point index; its upstream error while it cannot be read."""
        if self.service_points is None:
            raise UpstreamUnavailable("service points are not open", connector="citizeninfo")
        return self.service_points.require()

    def complaint_service(self) -> Complaints:
        """Where complaints are filed; INTERNAL when the app opened none."""
        if self.complaints is None:
            raise InternalError("complaints are not open")
        return self.complaints

    def rating_service(self) -> Ratings:
        """Where service points are rated; INTERNAL when the app opened none."""
        if self.ratings is None:
            raise InternalError("ratings are not open")
        return self.ratings


Info = strawberry.Info[GraphContext, None]
