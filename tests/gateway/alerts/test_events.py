"""Which stored alerts make events, the areas they concern, and their JSON form."""

from __future__ import annotations

import datetime as dt

import pytest

from central_codes.snapshot import Snapshot
from gateway.alerts.areas import AreaMapper
from gateway.alerts.events import AlertChange, decode, encode, event_for
from gateway.alerts.store import AlertStore
from tests.gateway.alerts.documents import START, cap_xml, stored

NOW = START + dt.timedelta(hours=1)
DISTRICT = "<geocode><valueName>DOPA</valueName><value>8405</value></geocode>"


@pytest.fixture(scope="module")
def mapper(snapshot: Snapshot) -> AreaMapper:
    """A mapper over the geothai registry."""
    return AreaMapper(snapshot)


@pytest.mark.parametrize(
    ("msg_type", "change"),
    [
        ("Alert", AlertChange.NEW),
        ("Update", AlertChange.UPDATED),
        ("Cancel", AlertChange.CANCELLED),
    ],
)
def test_each_message_type_makes_its_change(
    mapper: AreaMapper, msg_type: str, change: AlertChange
) -> None:
    references = () if msg_type == "Alert" else ("A",)
    alert = stored(mapper, cap_xml("B", msg_type=msg_type, references=references))
    event = event_for(alert, AlertStore(), NOW)
    assert event is not None
    assert (event.change, event.id) == (change, f"cap@disaster.go.th,B,{START.isoformat()}")


@pytest.mark.parametrize(
    ("status", "msg_type", "expires_hours"),
    [
        ("Exercise", "Alert", 48),
        ("Test", "Alert", 48),
        ("System", "Alert", 48),
        ("Draft", "Alert", 48),
        ("Actual", "Ack", 48),
        ("Actual", "Error", 48),
        ("Actual", "Alert", -1),  # expired before it was read
    ],
)
def test_what_is_not_news_makes_no_event(
    mapper: AreaMapper, status: str, msg_type: str, expires_hours: int
) -> None:
    alert = stored(
        mapper, cap_xml("X", status=status, msg_type=msg_type, expires_hours=expires_hours)
    )
    assert event_for(alert, AlertStore(), NOW) is None


def test_an_event_concerns_its_area_and_every_area_inside(mapper: AreaMapper) -> None:
    event = event_for(stored(mapper, cap_xml("D", area=DISTRICT)), AlertStore(), NOW)
    assert event is not None
    assert [event.concerns(c) for c in ("84", "8405", "840503", "8401", "840101", "50")] == [
        False,
        True,
        True,
        False,
        False,
        False,
    ]


def test_a_cancel_concerns_the_areas_of_what_it_ends(mapper: AreaMapper) -> None:
    store = AlertStore()
    store.add(stored(mapper, cap_xml("A", area=DISTRICT)))
    unmapped = cap_xml(
        "C", hour=1, msg_type="Cancel", references=("A",), area="", name="ทะเลอันดามันตอนบน"
    )
    cancel = stored(mapper, unmapped)
    store.add(cancel)
    event = event_for(cancel, store, NOW)
    assert event is not None
    assert event.codes == {"8405"}
    assert event.concerns("840503")


def test_an_event_reads_back_from_json_as_it_was(mapper: AreaMapper) -> None:
    store = AlertStore()
    store.add(stored(mapper, cap_xml("A")))
    update = stored(mapper, cap_xml("B", hour=1, msg_type="Update", references=("A",)))
    event = event_for(update, store, NOW)
    assert event is not None
    assert decode(encode(event)) == event
    assert "อุทกภัย" in encode(event).decode()  # Thai text as it is


@pytest.mark.parametrize("data", [b"not json", b"{}", b'{"change": "GONE"}', b"[]"])
def test_what_is_not_an_event_does_not_decode(data: bytes) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        decode(data)
