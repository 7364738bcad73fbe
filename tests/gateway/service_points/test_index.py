"""The service-point index: nearest points against a brute-force computation, areas, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from gateway.connectors.citizeninfo import ServicePointRecord
from gateway.service_points import ServicePointIndex, haversine_km

PLACES = [
    (13.7563, 100.5018, 3.0, 20),  # central Bangkok: dense
    (18.7883, 98.9853, 25.0, 100),  # Chiang Mai
    (7.0086, 100.4747, 10.0, 5),  # Hat Yai
    (14.95, 103.1, 60.0, 100),  # rural Isan, a wide circle
    (10.0, 97.0, 50.0, 10),  # the Andaman Sea: nothing
]


def _brute_force(
    points: Sequence[ServicePointRecord], lat: float, lon: float, radius: float, first: int
) -> list[tuple[float, str]]:
    measured = [(haversine_km(lat, lon, p.lat, p.lon), n) for n, p in enumerate(points)]
    inside = sorted((d, n) for d, n in measured if d <= radius)
    return [(d, points[n].point_id) for d, n in inside[:first]]


@pytest.mark.parametrize(("lat", "lon", "radius", "first"), PLACES)
def test_nearest_points_equal_a_brute_force_search(
    loaded_index: ServicePointIndex, lat: float, lon: float, radius: float, first: int
) -> None:
    found = loaded_index.near(lat, lon, radius, first)
    expected = _brute_force(loaded_index.points, lat, lon, radius, first)
    assert [(n.distance_km, n.point.point_id) for n in found] == expected


def test_nearest_points_in_every_region_equal_a_brute_force_search(
    loaded_index: ServicePointIndex,
) -> None:
    for point in loaded_index.points[::2500]:  # a spread of places, on and between points
        lat, lon = point.lat + 0.013, point.lon - 0.021
        found = loaded_index.near(lat, lon, 15.0, 30)
        expected = _brute_force(loaded_index.points, lat, lon, 15.0, 30)
        assert [(n.distance_km, n.point.point_id) for n in found] == expected
        assert len(found) == 30 or len(found) == len(expected)


def test_nearest_points_offering_a_procedure(loaded_index: ServicePointIndex) -> None:
    procedure = 1001  # a birth registration case: district and municipal offices only
    found = loaded_index.near(13.7563, 100.5018, 30.0, 15, procedure)
    offering = [p for p in loaded_index.points if procedure in p.procedure_ids]
    expected = _brute_force(offering, 13.7563, 100.5018, 30.0, 15)
    assert [(n.distance_km, n.point.point_id) for n in found] == expected
    assert len(found) == 15


def test_haversine_matches_known_distances() -> None:
    assert haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.195, abs=0.001)
    # Bangkok (Democracy Monument) to Chiang Mai (Tha Phae Gate): about 583 km
    assert haversine_km(13.7567, 100.5018, 18.7877, 98.9931) == pytest.approx(582, abs=3)


def test_an_areas_points_are_one_run_at_every_level(loaded_index: ServicePointIndex) -> None:
    for code in ("840503", "8405", "84", "10"):
        expected = [p for p in loaded_index.points if p.tambon_code.startswith(code)]
        assert list(loaded_index.in_area(code)) == expected
        assert expected
    assert list(loaded_index.in_area("999999")) == []


def test_an_areas_points_offering_a_procedure(loaded_index: ServicePointIndex) -> None:
    wanted = [p for p in loaded_index.in_area("84") if 1001 in p.procedure_ids]
    assert list(loaded_index.in_area("84", 1001)) == wanted
    assert 0 < len(wanted) < len(loaded_index.in_area("84"))
    assert list(loaded_index.in_area("84", 1)) == []


def test_points_by_id_and_shared_procedure_lists(loaded_index: ServicePointIndex) -> None:
    some = loaded_index.points[1234]
    assert loaded_index.get(some.point_id) == some
    assert loaded_index.get("nope") is None
    distinct = {p.procedure_ids for p in loaded_index.points}
    assert len({id(p.procedure_ids) for p in loaded_index.points}) == len(distinct)


def test_a_small_index_in_order() -> None:
    def point(point_id: str, tambon: str, lat: float) -> ServicePointRecord:
        return ServicePointRecord(point_id, "x", "o", lat, 100.0, tambon, (1,), True, None, 0)

    early, late = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    index = ServicePointIndex(
        [
            (point("b", "100102", 13.0), early),
            (point("a", "100102", 13.01), late),
            (point("c", "100101", 13.02), early),
        ]
    )
    assert [p.point_id for p in index] == ["c", "a", "b"]
    assert [index.read_at(p) for p in index] == [early, late, early]
    assert index.as_of == late
    assert [n.point.point_id for n in index.near(13.0, 100.0, 5.0, 2)] == ["b", "a"]
