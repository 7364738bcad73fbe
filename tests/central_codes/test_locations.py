"""Representative points of the registry's areas, from GeoNames places."""

from __future__ import annotations

import math

from central_codes.locations import ATTRIBUTION, PRECISIONS, locate
from central_codes.records import Status
from central_codes.snapshot import Snapshot

THAILAND = (5.6, 20.5, 97.3, 105.7)  # south, north, west, east


def test_every_active_area_has_a_point_inside_thailand(snapshot: Snapshot) -> None:
    located = snapshot.locations
    active = [a.code for a in snapshot.areas.values() if a.status is Status.ACTIVE]
    assert sorted(located) == sorted(active)
    south, north, west, east = THAILAND
    assert all(south <= p.lat <= north and west <= p.lon <= east for p in located.values())


def test_most_subdistricts_are_placed_by_their_own_name_or_district(snapshot: Snapshot) -> None:
    subdistricts = [p for code, p in snapshot.locations.items() if len(code) == 6]
    shares = {
        by: sum(p.placed_by == by for p in subdistricts) / len(subdistricts) for by in PRECISIONS
    }
    assert shares["subdistrict"] + shares["district"] > 0.8, shares
    assert all(p.source.startswith("GeoNames: ") for p in subdistricts)


def test_known_places_land_where_they_are(snapshot: Snapshot) -> None:
    # Phra Borom Maha Ratchawang (Bangkok's Grand Palace) and Mueang Chiang Mai's Si Phum.
    for code, (lat, lon) in {"100101": (13.75, 100.49), "500101": (18.79, 98.99)}.items():
        point = snapshot.locations[code]
        assert math.dist((point.lat, point.lon), (lat, lon)) < 0.1, (code, point)


def test_a_district_is_the_centroid_of_its_subdistricts(snapshot: Snapshot) -> None:
    district = snapshot.locations["5001"]
    subs = [p for code, p in snapshot.locations.items() if len(code) == 6 and code[:4] == "5001"]
    assert district.lat == round(sum(p.lat for p in subs) / len(subs), 6)
    assert district.source == f"centroid of {len(subs)} subdistricts"


def test_points_are_derived_from_the_names_alone(snapshot: Snapshot) -> None:
    assert locate(snapshot) == dict(snapshot.locations)
    assert ATTRIBUTION.startswith("Place data: GeoNames")


def test_changed_overrides_keep_the_points(snapshot: Snapshot) -> None:
    located = snapshot.locations
    assert snapshot.with_overrides(()).locations is located
