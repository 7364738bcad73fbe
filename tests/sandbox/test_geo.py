"""Sandbox coordinates: every active subdistrict placed inside Thailand from GeoNames places."""

from __future__ import annotations

import math
import time
from collections import defaultdict

import pytest

from central_codes.snapshot import Snapshot
from central_codes.sources.geonames import Gazetteer, Place, thai_places
from sandbox import geo
from sandbox.data import SandboxData

# Measured on the geothai registry: 8.4% subdistrict, 89.9% district, 1.8% province.
MIN_SUBDISTRICT_SHARE = 0.07
MIN_SUBDISTRICT_OR_DISTRICT_SHARE = 0.95


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry, default seed."""
    return SandboxData(snapshot)


def _copy(snapshot: Snapshot) -> Snapshot:
    return Snapshot.build(snapshot.release, snapshot.areas.values(), snapshot.links)


def _active_subdistricts(snapshot: Snapshot) -> list[str]:
    return [a.code for areas in snapshot.subdistricts_by_province.values() for a in areas]


def test_every_active_subdistrict_has_a_point_inside_thailand(data: SandboxData) -> None:
    codes = _active_subdistricts(data.snapshot)
    assert len(codes) == 7436
    for code in codes:
        lat, lon = geo.point_for(data, code)
        assert 5.5 <= lat <= 20.5, code
        assert 97.3 <= lon <= 105.7, code
        assert geo.placement_for(data, code).placed_by in geo.PRECISIONS


def test_most_subdistricts_are_placed_at_district_precision_or_better(data: SandboxData) -> None:
    shares = geo.precision_shares(data)
    assert math.isclose(sum(shares.values()), 1.0)
    assert shares["subdistrict"] >= MIN_SUBDISTRICT_SHARE
    assert shares["subdistrict"] + shares["district"] >= MIN_SUBDISTRICT_OR_DISTRICT_SHARE


def test_subdistricts_of_one_district_never_share_a_point(data: SandboxData) -> None:
    by_district: defaultdict[str, set[tuple[float, float]]] = defaultdict(set)
    codes = _active_subdistricts(data.snapshot)
    for code in codes:
        by_district[code[:4]].add(geo.point_for(data, code))
    assert sum(len(points) for points in by_district.values()) == len(codes)


def test_the_same_snapshot_and_seed_give_the_same_points(data: SandboxData) -> None:
    again = SandboxData(_copy(data.snapshot), data.seed)
    assert again.snapshot is not data.snapshot  # not served from the cache
    assert dict(geo.placements(again)) == dict(geo.placements(data))


def test_another_seed_moves_points_only_within_the_offset(data: SandboxData) -> None:
    other = SandboxData(data.snapshot, data.seed + 1)
    code = "840503"
    assert geo.point_for(other, code) != geo.point_for(data, code)
    widest = 2 * geo.SPREAD_DEGREES["subdistrict"][1] / math.cos(math.radians(10))
    assert math.dist(geo.point_for(other, code), geo.point_for(data, code)) <= widest


@pytest.mark.parametrize(
    ("code", "lat", "lon", "placed_by", "within"),
    [
        ("840503", 10.09, 99.84, "subdistrict", 0.02),  # Ko Tao, the island
        ("7601", 13.11, 99.94, "district", 0.01),  # Mueang Phetchaburi: Phetchaburi town
        ("50", 18.8, 98.9, "province", 0.8),  # Chiang Mai: the centroid of its subdistricts
    ],
)
def test_known_areas_are_where_they_are(
    data: SandboxData, code: str, lat: float, lon: float, placed_by: str, within: float
) -> None:
    placed = geo.placement_for(data, code)
    assert math.dist((placed.lat, placed.lon), (lat, lon)) < within
    assert placed.placed_by == placed_by


def test_abolished_and_unknown_codes_have_no_point(data: SandboxData) -> None:
    abolished = next(a.code for a in data.snapshot.areas.values() if a.abolished_on is not None)
    for code in (abolished, "999999"):
        with pytest.raises(KeyError):
            geo.point_for(data, code)


def test_placing_a_new_snapshot_takes_under_a_second(data: SandboxData) -> None:
    fresh = SandboxData(_copy(data.snapshot), data.seed)
    started = time.perf_counter()
    geo.placements(fresh)
    assert time.perf_counter() - started < 1.0


def _place(name: str, admin1: str) -> Place:
    return next(p for p in thai_places() if p.name == name and p.admin1 == admin1)


@pytest.mark.parametrize(
    ("name", "admin1", "district", "subdistrict"),
    [
        ("Amphoe Sikhiu", "Nakhon Ratchasima", "3020", "302001"),  # level word and an alias
        ("Ban Tak", "Tak", "6302", None),  # the district Ban Tak, not Mueang Tak
        ("Phetchaburi", "Phetchaburi", "7601", None),  # a capital town: the Mueang district
        ("Pakkhat", "Nong Khai", "3805", "380501"),  # now Bueng Kan (split off in 2011)
        ("Koh Tao", "Surat Thani", "8405", "840503"),  # not Ko Tao of Phatthalung
        ("Bang Sai", "Phra Nakhon Si Ayutthaya", None, None),  # two districts of that name
    ],
)
def test_geonames_places_match_registry_names(
    snapshot: Snapshot, name: str, admin1: str, district: str | None, subdistrict: str | None
) -> None:
    match = Gazetteer(snapshot, thai_places()).match(_place(name, admin1))
    assert (match.district, match.subdistrict) == (district, subdistrict)


def test_geonames_places_cover_every_province(snapshot: Snapshot) -> None:
    gazetteer = Gazetteer(snapshot, thai_places())
    covered = {gazetteer.province_of(p) for p in thai_places()}
    assert {a.code for a in snapshot.provinces} <= covered
