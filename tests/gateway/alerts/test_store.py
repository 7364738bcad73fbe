"""Threading, visibility and areas of the alert store."""

from __future__ import annotations

import datetime as dt

import pytest

from central_codes.snapshot import Snapshot
from gateway.alerts.areas import AreaMapper
from gateway.alerts.store import AlertStore
from tests.gateway.alerts.documents import START, cap_xml, stored

DISTRICT = "<geocode><valueName>DOPA</valueName><value>8405</value></geocode>"


@pytest.fixture(scope="module")
def mapper(snapshot: Snapshot) -> AreaMapper:
    """A mapper over the geothai registry."""
    return AreaMapper(snapshot)


def _store(hours_after_start: float = 1) -> AlertStore:
    return AlertStore(clock=lambda: START + dt.timedelta(hours=hours_after_start))


def _shown(store: AlertStore, code: str, *, active_only: bool = True) -> list[str]:
    return [a.alert.identifier for a in store.for_area(code, active_only=active_only)]


def test_an_update_replaces_its_alert_and_a_cancel_ends_the_thread(mapper: AreaMapper) -> None:
    store = _store()
    store.add(stored(mapper, cap_xml("A")))
    assert _shown(store, "84") == ["A"]
    store.add(stored(mapper, cap_xml("B", hour=1, msg_type="Update", references=("A",))))
    assert _shown(store, "84") == ["B"]
    store.add(stored(mapper, cap_xml("C", hour=2, msg_type="Cancel", references=("B",))))
    assert _shown(store, "84") == []
    assert len(store) == 3


def test_an_update_read_before_its_alert_still_replaces_it(mapper: AreaMapper) -> None:
    store = _store()
    store.add(stored(mapper, cap_xml("B", hour=1, msg_type="Update", references=("A",))))
    store.add(stored(mapper, cap_xml("A")))
    assert _shown(store, "84") == ["B"]


@pytest.mark.parametrize("status", ["Exercise", "System", "Test", "Draft"])
def test_alerts_that_are_not_actual_are_not_shown(mapper: AreaMapper, status: str) -> None:
    store = _store()
    store.add(stored(mapper, cap_xml("A")))
    store.add(stored(mapper, cap_xml("X", status=status)))
    store.add(stored(mapper, cap_xml("Y", status=status, msg_type="Cancel", references=("A",))))
    assert _shown(store, "84") == ["A"]
    assert [a.alert.identifier for a in store.current()] == ["A"]


def test_a_province_alert_shows_on_everything_inside_it(mapper: AreaMapper) -> None:
    store = _store()
    store.add(stored(mapper, cap_xml("P")))
    store.add(stored(mapper, cap_xml("D", hour=1, area=DISTRICT)))
    assert _shown(store, "84") == ["P"]
    assert _shown(store, "8405") == ["D", "P"]
    assert _shown(store, "840503") == ["D", "P"]
    assert _shown(store, "8401") == ["P"]
    assert _shown(store, "50") == []


def test_expired_alerts_leave_active_only(mapper: AreaMapper) -> None:
    store = _store(hours_after_start=10)
    store.add(stored(mapper, cap_xml("OLD", expires_hours=5)))
    store.add(stored(mapper, cap_xml("NEW", hour=1)))
    assert _shown(store, "840503") == ["NEW"]
    assert _shown(store, "840503", active_only=False) == ["NEW", "OLD"]


def test_an_unknown_area_name_is_kept_unmapped(mapper: AreaMapper) -> None:
    store = _store()
    store.add(stored(mapper, cap_xml("N", area="", name="ทะเลอันดามันตอนบน")))
    assert [a.alert.identifier for a in store.current()] == ["N"]
    assert store.unmapped() == {("cap@disaster.go.th", "N"): ("ทะเลอันดามันตอนบน",)}
    assert all(_shown(store, code) == [] for code in ("84", "8405", "10"))
