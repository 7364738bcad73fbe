"""The partner's subgraph over HTTP: ``POST /graphql``, as a federation router calls it."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from partner_subgraph.catalogue import Catalogue
from partner_subgraph.schema import Context, build_schema

__all__ = ["create_app"]


class _PartnerGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view, giving every request the catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(build_schema(), graphql_ide=None)
        self._context = Context(catalogue)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return self._context


def create_app(catalogue: Catalogue) -> Starlette:
    """The partner's ASGI app over ``catalogue``, serving the subgraph at ``/graphql``."""
    view: Any = _PartnerGraphQL(catalogue)
    return Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])
