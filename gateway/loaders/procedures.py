"""The request's loader of info.go.th procedures, keyed by ProcedureID.

Every distinct procedure asked for in one request (by any number of service points) is
fetched once, all of them at the same time; the connector's cache answers them after that.
"""

from __future__ import annotations

import asyncio

from strawberry.dataloader import DataLoader

from gateway.connectors.infogoth import NAME, InfoGoThClient, ServiceProcedure
from gateway.connectors.messages import Fetched
from gateway.errors import UpstreamError
from gateway.schema.context import GraphContext

__all__ = ["ProcedureLoader", "make_procedure_loader"]

ProcedureLoader = DataLoader[int, Fetched[ServiceProcedure | None]]


def make_procedure_loader(context: GraphContext) -> ProcedureLoader:
    """A loader fetching each distinct procedure once per request."""

    async def load(ids: list[int]) -> list[Fetched[ServiceProcedure | None] | BaseException]:
        try:
            client = InfoGoThClient(context.connector(NAME), context.request_id)
        except UpstreamError as error:
            return [error] * len(ids)
        return list(
            await asyncio.gather(*(client.procedure(i) for i in ids), return_exceptions=True)
        )

    return DataLoader(load_fn=load)
