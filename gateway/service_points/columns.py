"""The points of an index stored by column: :class:`PointColumns`, and :class:`PointsView`.

Sixty thousand point objects with their own strings and floats cost about 40 MB and scatter
long-lived objects among the garbage of the pages they were parsed from, so memory freed after
a read is not given back. By column they take a few large blocks (texts joined into one string,
numbers in arrays, codes as numbers into short lists of distinct values), about a third of that,
and a point is built again only when it is asked for.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from gateway.connectors.citizeninfo import ServicePointRecord

__all__ = ["PointColumns", "PointsView", "TextColumn"]


class TextColumn:
    """Many strings kept as one, with where each ends."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._text = "".join(texts)
        self._ends = array("I")
        end = 0
        for text in texts:
            end += len(text)
            self._ends.append(end)

    def __getitem__(self, n: int) -> str:
        return self._text[self._ends[n - 1] if n else 0 : self._ends[n]]


class _Codes:
    """Values with few distinct ones (codes), kept as numbers into the list of those."""

    def __init__(self, values: Sequence[object]) -> None:
        numbers: dict[object, int] = {}
        self.values: list[object] = []
        self._numbers = array("I")
        for value in values:
            number = numbers.setdefault(value, len(numbers))
            if number == len(self.values):
                self.values.append(value)
            self._numbers.append(number)

    def __getitem__(self, n: int) -> object:
        return self.values[self._numbers[n]]


class PointColumns:
    """Every field of every point, by position; ``record(n)`` builds point ``n`` again."""

    def __init__(self, points: Sequence[ServicePointRecord]) -> None:
        self.ids = TextColumn([p.point_id for p in points])
        self.names = TextColumn([p.name for p in points])
        self.org_codes = _Codes([p.org_code for p in points])
        self.tambon_codes = _Codes([p.tambon_code for p in points])
        self.procedures = _Codes([p.procedure_ids for p in points])
        self.lat = array("d", (p.lat for p in points))
        self.lon = array("d", (p.lon for p in points))
        self.no_copy = bytes(p.no_copy for p in points)
        self.scores = array("d", (math.nan if p.score is None else p.score for p in points))
        self.counts = array("Q", (p.rating_count for p in points))

    def record(self, n: int) -> ServicePointRecord:
        """Point ``n`` as the connector gave it."""
        score = self.scores[n]
        return ServicePointRecord(
            point_id=self.ids[n],
            name=self.names[n],
            org_code=str(self.org_codes[n]),
            lat=self.lat[n],
            lon=self.lon[n],
            tambon_code=str(self.tambon_codes[n]),
            procedure_ids=self.procedures[n],  # type: ignore[arg-type]
            no_copy=bool(self.no_copy[n]),
            score=None if math.isnan(score) else score,
            rating_count=self.counts[n],
        )


class PointsView(Sequence[ServicePointRecord]):
    """Some of the points (by their positions, in order), built as they are read."""

    def __init__(self, columns: PointColumns, positions: Sequence[int]) -> None:
        self._columns, self.positions = columns, positions

    def __len__(self) -> int:
        return len(self.positions)

    @overload
    def __getitem__(self, n: int) -> ServicePointRecord: ...

    @overload
    def __getitem__(self, n: slice) -> PointsView: ...

    def __getitem__(self, n: int | slice) -> ServicePointRecord | PointsView:
        if isinstance(n, slice):
            return PointsView(self._columns, self.positions[n])
        return self._columns.record(self.positions[n])

    def __iter__(self) -> Iterator[ServicePointRecord]:
        return map(self._columns.record, self.positions)
