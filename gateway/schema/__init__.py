"""The public graph: type modules by domain, merged here into one schema (a federation subgraph)."""

from __future__ import annotations

import strawberry

from gateway.schema.areas import District, Province, Subdistrict
from gateway.schema.complaints import ComplaintMutation, ComplaintQuery
from gateway.schema.connectors import ConnectorsQuery
from gateway.schema.documents import DocumentsQuery
from gateway.schema.fast_paths import speed_up
from gateway.schema.federation import FederatedSchema
from gateway.schema.id_cards import IdCardQuery
from gateway.schema.land import LandQuery
from gateway.schema.registry_query import RegistryQuery

__all__ = ["build_schema"]


@strawberry.type(description="Everything the graph answers: the registry, and agencies through it.")
class Query(RegistryQuery, ConnectorsQuery, DocumentsQuery, IdCardQuery, LandQuery, ComplaintQuery):
    """The root of every query: the domain query classes, merged."""


@strawberry.type(description="Everything that changes something: complaints, ratings.")
class Mutation(ComplaintMutation):
    """The root of every mutation: the domain mutation classes, merged."""


def build_schema() -> FederatedSchema:
    """The strawberry schema of the whole graph, its plain fields given direct resolvers."""
    schema = FederatedSchema(
        query=Query, mutation=Mutation, types=[Province, District, Subdistrict]
    )
    speed_up(schema._schema)
    return schema
