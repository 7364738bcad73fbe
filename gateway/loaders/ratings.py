"""Service points' ratings for a whole request: :func:`make_rating_loader`.

Keyed by ``(point id, CITIZENinfo's figure for it)``; every point asked for in one request is
answered from one database query per moment the figures were read (a list of points from the
service-point index: one query), never one per point.
"""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from gateway.ratings import AgencyFigure, RatingSummary
from gateway.schema.context import GraphContext

__all__ = ["RatingKey", "make_rating_loader"]

RatingKey = tuple[str, AgencyFigure]  # point id, the agency's figure and when it was read


def make_rating_loader(context: GraphContext) -> DataLoader[RatingKey, RatingSummary]:
    """The request's rating loader: the agency's figure with our ratings it cannot include yet."""

    async def load(keys: list[RatingKey]) -> Sequence[RatingSummary]:
        return await context.rating_service().summaries(keys)

    return DataLoader(load_fn=load)
