"""Code history: what an abolished code became, how sure we are, on real and hand-built data."""

from __future__ import annotations

import datetime as dt

import pytest

from central_codes.codes import InvalidAreaCode, Level
from central_codes.history import Certainty, current_areas, resolve
from central_codes.records import AreaRecord, Basis, ReleaseInfo, Status, SuccessorLink
from central_codes.snapshot import Snapshot

ABOLISHED_ON = dt.date(2020, 1, 1)


def test_abolished_bang_na_leads_to_its_two_confirmed_successors(snapshot: Snapshot) -> None:
    found = resolve(snapshot, "104701")
    assert found.area is not None
    assert (found.area.name_th, found.area.status) == ("บางนา", Status.ABOLISHED)
    assert found.area.abolished_on is not None
    assert [(s.area.code, s.certainty) for s in found.successors] == [
        ("104702", Certainty.CONFIRMED),
        ("104703", Certainty.CONFIRMED),
    ]
    assert all(s.link.basis is Basis.NOTICE and s.link.source for s in found.successors)
    assert [(c.area.code, c.certainty, c.path) for c in found.current] == [
        ("104702", Certainty.CONFIRMED, ("104701", "104702")),
        ("104703", Certainty.CONFIRMED, ("104701", "104703")),
    ]


def test_a_subdistrict_moved_when_its_district_split(snapshot: Snapshot) -> None:
    found = resolve(snapshot, "530306")
    assert found.area is not None
    assert found.area.status is Status.ABOLISHED
    assert found.area.abolished_on is not None
    assert found.area.abolished_on.year == 2015
    [current] = found.current
    assert (current.area.code, current.area.name_th) == ("530407", found.area.name_th)
    assert current.area.parent_code == "5304"


@pytest.mark.parametrize("code", ["84", "8405", "840503", "84050300"])
def test_an_active_code_resolves_to_itself(snapshot: Snapshot, code: str) -> None:
    found = resolve(snapshot, code)
    assert found.area is not None
    assert found.area.status is Status.ACTIVE
    assert found.successors == ()
    assert [(c.area.code, c.certainty, c.path) for c in found.current] == [
        (found.code, Certainty.CONFIRMED, (found.code,))
    ]


@pytest.mark.parametrize("code", ["99", "9999", "999999", "840599"])
def test_an_unknown_well_formed_code_has_no_area(snapshot: Snapshot, code: str) -> None:
    found = resolve(snapshot, code)
    assert (found.code, found.area, found.successors, found.current) == (code, None, (), ())


@pytest.mark.parametrize("code", ["x1", "123", "1234567", "๘๔", ""])
def test_a_malformed_code_raises(snapshot: Snapshot, code: str) -> None:
    with pytest.raises(InvalidAreaCode):
        resolve(snapshot, code)


def test_current_areas_of_codes(snapshot: Snapshot) -> None:
    assert [a.code for a in current_areas(snapshot, "104701")] == ["104702", "104703"]
    assert [a.code for a in current_areas(snapshot, "840503")] == ["840503"]
    assert current_areas(snapshot, "999999") == []


# A small registry built by hand: district 1001 with subdistricts A..E.
A, B, C, D, E = "100101", "100102", "100103", "100104", "100105"


def _area(code: str, active: bool) -> AreaRecord:
    return AreaRecord(
        code=code,
        level=Level.SUBDISTRICT,
        name_th=f"ตำบล {code}",
        name_en=None,
        status=Status.ACTIVE if active else Status.ABOLISHED,
        parent_code="1001",
        abolished_on=None if active else ABOLISHED_ON,
    )


def _registry(abolished: set[str], links: list[tuple[str, str, Basis]]) -> Snapshot:
    release = ReleaseInfo(1, "test.1", "hand", "1", "-", dt.datetime(2020, 1, 1), 1, 1, 5, 0)
    areas = [
        AreaRecord("10", Level.PROVINCE, "กรุงเทพมหานคร", "Bangkok", Status.ACTIVE, None),
        AreaRecord("1001", Level.DISTRICT, "พระนคร", "Phra Nakhon", Status.ACTIVE, "10"),
        *(_area(code, code not in abolished) for code in (A, B, C, D, E)),
    ]
    successor_links = [SuccessorLink(old, new, ABOLISHED_ON, basis) for old, new, basis in links]
    return Snapshot.build(release, areas, successor_links)


def _current(snapshot: Snapshot, code: str) -> list[tuple[str, Certainty, tuple[str, ...]]]:
    return [(c.area.code, c.certainty, c.path) for c in resolve(snapshot, code).current]


def test_a_chain_is_followed_to_the_active_end_at_its_weakest_certainty() -> None:
    snapshot = _registry({A, B}, [(A, B, Basis.NOTICE), (B, C, Basis.NAME)])
    assert _current(snapshot, A) == [(C, Certainty.LIKELY, (A, B, C))]
    # the direct step alone is as sure as its own basis
    assert [(s.area.code, s.certainty) for s in resolve(snapshot, A).successors] == [
        (B, Certainty.CONFIRMED)
    ]
    assert _current(snapshot, B) == [(C, Certainty.LIKELY, (B, C))]


@pytest.mark.parametrize(
    ("first", "second", "certainty"),
    [
        (Basis.NOTICE, Basis.NOTICE, Certainty.CONFIRMED),
        (Basis.NOTICE, Basis.IMPORT, Certainty.CONFIRMED),
        (Basis.IMPORT, Basis.NAME, Certainty.LIKELY),
        (Basis.NAME, Basis.NOTICE, Certainty.LIKELY),
        (Basis.NAME, Basis.NAME, Certainty.LIKELY),
    ],
)
def test_a_chain_is_as_sure_as_its_weakest_link(
    first: Basis, second: Basis, certainty: Certainty
) -> None:
    snapshot = _registry({A, B}, [(A, B, first), (B, C, second)])
    assert _current(snapshot, A) == [(C, certainty, (A, B, C))]


def test_the_surest_way_to_an_area_is_kept() -> None:
    links = [(A, B, Basis.NAME), (B, C, Basis.NOTICE), (A, C, Basis.NOTICE)]
    snapshot = _registry({A, B}, links)
    assert _current(snapshot, A) == [(C, Certainty.CONFIRMED, (A, C))]


def test_a_split_then_merge_reaches_each_area_once() -> None:
    links = [(A, B, Basis.NOTICE), (A, C, Basis.NOTICE), (B, D, Basis.NOTICE), (C, D, Basis.NOTICE)]
    snapshot = _registry({A, B, C}, links)
    assert [code for code, _, _ in _current(snapshot, A)] == [D]


def test_a_cycle_in_the_data_terminates_with_nothing_current() -> None:
    snapshot = _registry({A, B}, [(A, B, Basis.NOTICE), (B, A, Basis.NOTICE)])
    assert _current(snapshot, A) == []
    assert [s.area.code for s in resolve(snapshot, A).successors] == [B]


def test_a_cycle_with_a_way_out_reaches_the_way_out() -> None:
    links = [(A, B, Basis.NOTICE), (B, C, Basis.NOTICE), (C, A, Basis.NOTICE), (C, D, Basis.NAME)]
    snapshot = _registry({A, B, C}, links)
    assert _current(snapshot, A) == [(D, Certainty.LIKELY, (A, B, C, D))]


def test_an_abolished_code_without_successors_leads_nowhere() -> None:
    snapshot = _registry({A}, [])
    found = resolve(snapshot, A)
    assert found.area is not None
    assert found.area.status is Status.ABOLISHED
    assert (found.successors, found.current) == ((), ())


def test_a_link_to_a_code_the_registry_lacks_is_ignored() -> None:
    snapshot = _registry({A}, [(A, "100199", Basis.NOTICE), (A, E, Basis.NOTICE)])
    found = resolve(snapshot, A)
    assert [s.area.code for s in found.successors] == [E]
    assert _current(snapshot, A) == [(E, Certainty.CONFIRMED, (A, E))]


@pytest.mark.parametrize(
    ("basis", "certainty"),
    [
        (Basis.NOTICE, Certainty.CONFIRMED),
        (Basis.IMPORT, Certainty.CONFIRMED),
        (Basis.NAME, Certainty.LIKELY),
    ],
)
def test_certainty_of_a_basis(basis: Basis, certainty: Certainty) -> None:
    assert Certainty.of(basis) is certainty
