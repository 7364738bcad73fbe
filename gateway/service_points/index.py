"""An immutable, in-memory index of every service point: :class:`ServicePointIndex`.

Points are kept in one tuple sorted by ``(tambonCode, pointId)``: since a DOPA code starts with
its district's and province's codes, the points of any area are one contiguous run of it, found
by two bisections, in an order that never changes between pages. Filtering by procedure uses a
sorted array of positions per procedure id, bisected the same way.

The nearest points come from a grid of :data:`CELL_DEGREES` cells searched ring by ring
outwards from the caller's cell, with great-circle (haversine) distances, stopping once no
point in the next ring could be nearer than the ones already found.
"""

from __future__ import annotations

import bisect
import heapq
import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from gateway.connectors.citizeninfo import ServicePointRecord
from gateway.service_points.columns import PointColumns, PointsView

__all__ = ["CELL_DEGREES", "EARTH_RADIUS_KM", "Nearby", "ServicePointIndex", "haversine_km"]

CELL_DEGREES = 0.1  # about 11 km: a few dozen points per cell in a town, none in the sea
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
_KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
_SAFETY = 0.99  # ring bounds are planar; keep them a little short of the sphere's distances

Cell = tuple[int, int]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class Nearby:
    """A point and its distance from where the caller stands."""

    point: ServicePointRecord
    distance_km: float


def _cell(lat: float, lon: float) -> Cell:
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)


def sort_key(point: ServicePointRecord) -> tuple[str, str]:
    """The index's order: by subdistrict code, then id."""
    return point.tambon_code, point.point_id


class ServicePointIndex:
    """Every point by id, by area (any level), by procedure and by place; never changed."""

    def __init__(self, points: Iterable[tuple[ServicePointRecord, datetime]]) -> None:
        """``points``: each with when CITIZENinfo gave it (the time its page was read)."""
        read = sorted(points, key=lambda pair: sort_key(pair[0]))
        records = [p for p, _ in read]
        self._columns = columns = PointColumns(records)
        self.points = PointsView(columns, range(len(records)))
        self._moments = sorted({at for _, at in read})  # a page each: a few dozen moments
        self._read_at = array("H", (bisect.bisect_left(self._moments, at) for _, at in read))
        self.as_of = self._moments[-1] if self._moments else None
        self._by_id = array("I", sorted(range(len(records)), key=columns.ids.__getitem__))
        self._tambons, self._starts = _runs([p.tambon_code for p in records])
        self._by_procedure = _positions_by_procedure(records)
        self._grid = _grid(columns.lat, columns.lon)

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self) -> Iterator[ServicePointRecord]:
        return iter(self.points)

    def read_at(self, point: ServicePointRecord) -> datetime:
        """When CITIZENinfo gave this point (its page's time): what its figures are as of."""
        position = self._position(point.point_id)
        if position is None:
            raise KeyError(point.point_id)
        return self._moments[self._read_at[position]]

    def get(self, point_id: str) -> ServicePointRecord | None:
        """The point with this id, or None."""
        position = self._position(point_id)
        return None if position is None else self._columns.record(position)

    def in_area(self, code: str, procedure_id: int | None = None) -> Sequence[ServicePointRecord]:
        """The points of an area (a province, district or subdistrict code), in index order;
        only those offering ``procedure_id`` when given."""
        low = self._starts[bisect.bisect_left(self._tambons, code)]
        high = self._starts[bisect.bisect_left(self._tambons, code + "\uffff")]
        if procedure_id is None:
            return self.points[low:high]
        positions = self._by_procedure.get(procedure_id, array("I"))
        start, end = bisect.bisect_left(positions, low), bisect.bisect_left(positions, high)
        return PointsView(self._columns, positions[start:end])

    def near(
        self, lat: float, lon: float, radius_km: float, first: int, procedure_id: int | None = None
    ) -> list[Nearby]:
        """The ``first`` nearest points within ``radius_km``, nearest first (ties by order)."""
        centre, best = _cell(lat, lon), _Best(first)
        cell_km = _cell_km(lat, radius_km)
        lats, lons = self._columns.lat, self._columns.lon
        for ring in range(math.ceil(radius_km / cell_km) + 2):
            if best.full and best.worst <= (ring - 1) * cell_km:
                break  # every point of this ring is at least (ring - 1) cells away
            for n in self._ring(centre, ring, procedure_id):
                distance = haversine_km(lat, lon, lats[n], lons[n])
                if distance <= radius_km:
                    best.offer(distance, n)
        return [Nearby(self._columns.record(n), distance) for distance, n in best.ordered()]

    def _position(self, point_id: str) -> int | None:
        ids = self._columns.ids
        at = bisect.bisect_left(self._by_id, point_id, key=ids.__getitem__)
        found = at < len(self._by_id) and ids[self._by_id[at]] == point_id
        return self._by_id[at] if found else None

    def _ring(self, centre: Cell, ring: int, procedure_id: int | None) -> Iterator[int]:
        offered = None if procedure_id is None else self._by_procedure.get(procedure_id, ())
        for cell in _ring_cells(centre, ring):
            for n in self._grid.get(cell, ()):
                if offered is None or _contains(offered, n):
                    yield n


class _Best:
    """The ``size`` smallest (distance, position) pairs offered so far."""

    def __init__(self, size: int) -> None:
        self._size, self._heap = size, list[tuple[float, int]]()

    @property
    def full(self) -> bool:
        return len(self._heap) >= self._size

    @property
    def worst(self) -> float:
        return -self._heap[0][0]

    def offer(self, distance: float, position: int) -> None:
        entry = (-distance, -position)  # a max-heap: the farthest (then latest) on top
        if not self.full:
            heapq.heappush(self._heap, entry)
        elif entry > self._heap[0]:
            heapq.heapreplace(self._heap, entry)

    def ordered(self) -> list[tuple[float, int]]:
        return sorted((-d, -n) for d, n in self._heap)


def _cell_km(lat: float, radius_km: float) -> float:
    """The shortest side of a cell anywhere within ``radius_km`` of ``lat``, in km."""
    farthest = min(89.0, abs(lat) + radius_km / _KM_PER_DEGREE + CELL_DEGREES)
    return CELL_DEGREES * _KM_PER_DEGREE * math.cos(math.radians(farthest)) * _SAFETY


def _ring_cells(centre: Cell, ring: int) -> Iterator[Cell]:
    row, column = centre
    if ring == 0:
        yield centre
        return
    for dc in range(-ring, ring + 1):
        yield row - ring, column + dc
        yield row + ring, column + dc
    for dr in range(-ring + 1, ring):
        yield row + dr, column - ring
        yield row + dr, column + ring


def _contains(positions: Sequence[int], n: int) -> bool:
    at = bisect.bisect_left(positions, n)
    return at < len(positions) and positions[at] == n


def _runs(codes: Sequence[str]) -> tuple[list[str], array[int]]:
    """The distinct codes of a sorted list, and where each one's run starts (then the end)."""
    distinct: list[str] = []
    starts = array("I")
    for n, code in enumerate(codes):
        if not distinct or distinct[-1] != code:
            distinct.append(code)
            starts.append(n)
    starts.append(len(codes))
    return distinct, starts


def _positions_by_procedure(points: Sequence[ServicePointRecord]) -> dict[int, array[int]]:
    found: dict[int, array[int]] = {}
    for n, point in enumerate(points):
        for procedure_id in point.procedure_ids:
            found.setdefault(procedure_id, array("I")).append(n)
    return found


def _grid(lats: Sequence[float], lons: Sequence[float]) -> dict[Cell, array[int]]:
    cells: dict[Cell, array[int]] = {}
    for n, (lat, lon) in enumerate(zip(lats, lons, strict=True)):
        cells.setdefault(_cell(lat, lon), array("I")).append(n)
    return cells
