"""Ratings of government service points: accepted here, forwarded to CITIZENinfo by the outbox.

:class:`Ratings` is what the graph uses: :meth:`~Ratings.rate` checks the point, stores the
rating and its outbox message in one transaction and answers only after that commit; the outbox
worker then delivers it with retries and backoff
(:class:`~gateway.ratings.delivery.RatingDelivery`), so a rating survives the agency being down
and the gateway restarting. :meth:`~Ratings.summary` and :meth:`~Ratings.summaries` give a
point's average with our ratings the agency's figure does not include yet
(:mod:`gateway.ratings.summary`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.connectors.registry import RuntimeSource
from gateway.errors import BadUserInput
from gateway.outbox import OutboxWorker
from gateway.ratings.delivery import RatingDelivery
from gateway.ratings.intake import RatingDraft, validate
from gateway.ratings.models import RatingRow, RatingsBase
from gateway.ratings.points import AgencyPoints, PointIndex
from gateway.ratings.store import (
    ACCEPTED,
    DELIVERED,
    OUTBOX_KIND,
    REJECTED,
    RatingRecord,
    RatingStore,
    Tally,
)
from gateway.ratings.summary import AgencyFigure, RatingSummary, combine

__all__ = [
    "ACCEPTED",
    "DELIVERED",
    "REJECTED",
    "AgencyFigure",
    "RatingDraft",
    "RatingRecord",
    "RatingRow",
    "RatingSummary",
    "Ratings",
    "RatingsBase",
    "validate",
]


class Ratings:
    """Rating points and reading their averages; registers its delivery with the outbox worker."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: OutboxWorker,
        runtime: RuntimeSource,
        index: Callable[[], PointIndex | None] = lambda: None,
    ) -> None:
        self.store = RatingStore(engine)
        self._outbox = outbox
        self._points = AgencyPoints(runtime, index)
        outbox.register(OUTBOX_KIND, RatingDelivery(self.store, runtime))

    async def rate(self, draft: RatingDraft, request_id: str | None) -> RatingRecord:
        """Store (after commit the receipt is durable) and wake the outbox to deliver now.

        A repeat answers the stored rating without asking the agency anything; a new rating
        of a point CITIZENinfo does not know is BAD_USER_INPUT.
        """
        known = await self.store.repeat(draft)
        if known is not None:
            return known
        if await self._points.figure(draft.point_id, request_id) is None:
            raise BadUserInput(
                "servicePointId names no known service point", argument="servicePointId"
            )
        record = await self.store.add(draft)
        if record.created:
            self._outbox.notify()
        return record

    async def summary(self, point_id: str, request_id: str | None) -> RatingSummary | None:
        """The point's rating from CITIZENinfo's figure (cached) and ours; None when unknown."""
        figure = await self._points.figure(point_id, request_id)
        if figure is None:
            return None
        (found,) = await self.summaries([(point_id, figure)])
        return found

    async def summaries(self, figures: Sequence[tuple[str, AgencyFigure]]) -> list[RatingSummary]:
        """Points' ratings from the agency's figures, in the order asked: one query per moment
        the figures were read (a service-point index reads them all at once)."""
        by_moment: defaultdict[dt.datetime, set[str]] = defaultdict(set)
        for point, figure in figures:
            by_moment[figure.as_of].add(point)
        ours: dict[tuple[str, dt.datetime], Tally] = {}
        for as_of, points in by_moment.items():
            found = await self.store.uncounted(points, as_of)
            ours |= {(point, as_of): tally for point, tally in found.items()}
        return [combine(f, ours.get((p, f.as_of), Tally())) for p, f in figures]
