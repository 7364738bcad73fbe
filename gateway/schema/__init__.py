"""The public graph: type modules by domain, merged here into one schema (a federation subgraph)."""

from __future__ import annotations

import strawberry

from gateway.access.fields import guard_restricted_fields
from gateway.schema.alert_events import AlertEventsSubscription
from gateway.schema.areas import District, Province, Subdistrict
from gateway.schema.audit import AuditQuery
from gateway.schema.complaints import ComplaintMutation, ComplaintQuery
from gateway.schema.connectors import ConnectorsQuery
from gateway.schema.documents import DocumentsQuery
from gateway.schema.fast_paths import speed_up
from gateway.schema.federation import FederatedSchema
from gateway.schema.id_cards import IdCardQuery
from gateway.schema.land import LandQuery
from gateway.schema.ratings import RatingMutation
from gateway.schema.registry_query import RegistryQuery
from gateway.schema.service_points import ServicePointQuery

__all__ = ["build_schema"]


@strawberry.type(description="Everything the graph answers: the registry, and agencies through it.")
class Query(
    RegistryQuery,
    ConnectorsQuery,
    DocumentsQuery,
    IdCardQuery,
    LandQuery,
    ComplaintQuery,
    AuditQuery,
    ServicePointQuery,
):
    """The root of every query: the domain query classes, merged."""


@strawberry.type(description="Everything that changes something: complaints, ratings.")
class Mutation(ComplaintMutation, RatingMutation):
    """The root of every mutation: the domain mutation classes, merged."""


@strawberry.type(description="Everything a client can follow live: disaster alerts.")
class Subscription(AlertEventsSubscription):
    """The root of every subscription: the domain subscription classes, merged."""


def build_schema() -> FederatedSchema:
    """The strawberry schema of the whole graph: plain fields given direct resolvers, restricted
    fields their scope checks."""
    schema = FederatedSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Province, District, Subdistrict],
    )
    speed_up(schema._schema)
    guard_restricted_fields(schema._schema)  # after speed_up, which replaces resolvers
    return schema
