"""A point's rating: the agency's figure with ours added in, as a table."""

from __future__ import annotations

import datetime as dt

import pytest

from gateway.ratings.store import Tally
from gateway.ratings.summary import AgencyFigure, RatingSummary, combine

AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("agency", "ours", "expected"),
    [
        ((4.0, 10), Tally(), RatingSummary(4.0, 10, 0, AT)),
        ((4.0, 10), Tally(1, 1), RatingSummary(3.73, 11, 1, AT)),
        ((None, 0), Tally(2, 9), RatingSummary(4.5, 2, 2, AT)),
        ((None, 0), Tally(), RatingSummary(None, 0, 0, AT)),
        ((3.5, 2), Tally(2, 10), RatingSummary(4.25, 4, 2, AT)),
    ],
)
def test_combine(agency: tuple[float | None, int], ours: Tally, expected: RatingSummary) -> None:
    assert combine(AgencyFigure(*agency, AT), ours) == expected
