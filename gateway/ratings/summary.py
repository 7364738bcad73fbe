"""A point's rating: the agency's figure and our ratings it cannot include yet, counted once.

CITIZENinfo's ``satisfaction{score, count}`` covers every rating it holds at the moment it was
read. A rating we accepted shows at once: while it waits for delivery, and after delivery until
a figure read later takes it in, it is added here; from then on it is the agency's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gateway.ratings.store import Tally

__all__ = ["AgencyFigure", "RatingSummary", "combine"]


@dataclass(frozen=True, slots=True)
class AgencyFigure:
    """CITIZENinfo's average ``score`` of ``count`` ratings for a point, read at ``as_of``."""

    score: float | None
    count: int
    as_of: dt.datetime


@dataclass(frozen=True, slots=True)
class RatingSummary:
    """A point's average score over ``count`` ratings, ``pending`` of them not yet the agency's."""

    average: float | None
    count: int
    pending: int
    as_of: dt.datetime  # when the agency's part was read


def combine(figure: AgencyFigure, ours: Tally) -> RatingSummary:
    """The agency's figure with ``ours`` (ratings it cannot include yet) added in."""
    count = figure.count + ours.count
    total = (figure.score or 0.0) * figure.count + ours.total
    average = round(total / count, 2) if count else None
    return RatingSummary(average, count, ours.count, figure.as_of)
