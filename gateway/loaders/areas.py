"""Areas by code for a whole request, looked up as one batch (federation's ``_entities``).

The registry is in memory, so the batch costs no call; it keeps every way of reaching an
entity on the same per-request path, deduplicated, and shows as one lookup however many
representations a router sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from gateway.schema.context import GraphContext

if TYPE_CHECKING:
    from gateway.schema.areas import Area

__all__ = ["make_area_loader"]


def make_area_loader(context: GraphContext) -> DataLoader[str, Area | None]:
    """The request's area loader: a node, None for an unknown code, BAD_AREA_CODE for a bad one."""

    async def load(codes: list[str]) -> Sequence[Area | Exception | None]:
        return context.registry.nodes.find_many(codes)

    return DataLoader(load_fn=load)
