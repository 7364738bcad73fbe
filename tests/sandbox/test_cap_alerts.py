"""CAP alert sandbox: the Atom index, CAP 1.2 documents, references, publishing at runtime."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import cap_alerts
from sandbox.agencies._cap_model import alert_xml, initial_alerts
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A fresh CAP app per test, so published alerts never leak between tests."""
    async with agency_client(cap_alerts.AGENCY, data) as client:
        yield client


async def _anchor(api: TestClient[Any, Any]) -> dt.datetime:
    listing = await (await api.get("/__admin/cap/alerts")).json()
    return dt.datetime.fromisoformat(listing["anchor"])


async def _feed(api: TestClient[Any, Any]) -> list[ET.Element]:
    response = await api.get(cap_alerts.FEED_PATH)
    assert response.status == 200
    assert response.content_type == "application/atom+xml"
    return ET.fromstring(await response.read()).findall(f"{ATOM}entry")


async def _alert(api: TestClient[Any, Any], entry: ET.Element) -> ET.Element:
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None
    assert link.get("type") == "application/cap+xml"
    response = await api.get(link.get("href", "").removeprefix(str(api.make_url(""))))
    assert response.status == 200
    return ET.fromstring(await response.read())


def _geocodes(alert: ET.Element) -> list[tuple[str, str]]:
    info = alert.find(f"{CAP}info")
    assert info is not None
    return [
        (g.findtext(f"{CAP}valueName", ""), g.findtext(f"{CAP}value", ""))
        for g in info.iter(f"{CAP}geocode")
    ]


async def test_the_feed_lists_the_initial_alerts_newest_first(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    expected = initial_alerts(data, await _anchor(api))
    entries = await _feed(api)
    updated = [e.findtext(f"{ATOM}updated", "") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert len(entries) == len(expected) == 8
    documents = [await _alert(api, entry) for entry in entries]
    identifiers = {d.findtext(f"{CAP}identifier") for d in documents}
    assert identifiers == {a.identifier for a in expected}


async def test_each_alert_is_a_cap_document_in_thai_and_english(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    for alert in initial_alerts(data, await _anchor(api)):
        response = await api.get(f"/cap/alerts/{alert.identifier}.xml")
        document = ET.fromstring(await response.read())
        assert document.tag == f"{CAP}alert"
        for tag in ("identifier", "sender", "sent", "status", "msgType", "scope"):
            assert document.findtext(f"{CAP}{tag}"), tag
        infos = document.findall(f"{CAP}info")
        assert [i.findtext(f"{CAP}language") for i in infos] == ["th-TH", "en-US"]
        for info in infos:
            assert info.findtext(f"{CAP}event")
            assert info.find(f"{CAP}area/{CAP}areaDesc") is not None
            assert dt.datetime.fromisoformat(info.findtext(f"{CAP}expires", "")).tzinfo


async def test_areas_come_as_iso_codes_dopa_codes_or_names_only(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    alerts = {a.event.en: a for a in initial_alerts(data, await _anchor(api))[:6]}
    shapes = {}
    for event, alert in alerts.items():
        document = ET.fromstring(alert_xml(alert))
        shapes[event] = [(name, len(value)) for name, value in _geocodes(document)]
    assert shapes["Flood"] == [("ISO3166-2", 5)]  # TH-CC
    assert shapes["Thunderstorm"] == [("DOPA", 4)]
    assert shapes["Landslide"] == [("DOPA", 6)]
    assert shapes["Heavy rain"] == []
    rain = ET.fromstring(alert_xml(alerts["Heavy rain"]))
    names = [a.findtext(f"{CAP}areaDesc") for a in rain.iter(f"{CAP}area")]
    provinces = {p.name_th for p in data.snapshot.provinces}
    assert len(names) == 4  # two provinces, in Thai then in English
    assert set(names[:2]) <= provinces


async def test_updates_and_cancels_reference_what_they_replace(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    alerts = initial_alerts(data, await _anchor(api))
    by_type = {(a.msg_type, a.status): a for a in alerts}
    update, cancel = by_type[("Update", "Actual")], by_type[("Cancel", "Actual")]
    for replacing, event in ((update, "Flood"), (cancel, "Thunderstorm")):
        document = ET.fromstring(alert_xml(replacing))
        sender, identifier, sent = document.findtext(f"{CAP}references", "").split(",")
        original = next(a for a in alerts if a.identifier == identifier)
        assert (original.msg_type, original.event.en) == ("Alert", event)
        assert (sender, sent) == (original.sender[0], original.sent.isoformat())
    assert ("Alert", "Exercise") in by_type
    anchor = await _anchor(api)
    assert sum(a.expires < anchor for a in alerts) == 1  # the drought is over


async def test_publishing_grows_the_feed_and_a_cancel_names_the_alert(
    api: TestClient[Any, Any],
) -> None:
    new = await api.post(
        "/__admin/cap/alerts",
        json={"event": "อุทกภัย", "eventEn": "Flood", "areaCodes": ["840503"], "severity": "Severe"},
    )
    assert new.status == 201
    published = await new.json()
    assert len(await _feed(api)) == 9
    document = ET.fromstring(await (await api.get(published["path"])).read())
    assert _geocodes(document) == [("DOPA", "840503")]
    assert document.findtext(f"{CAP}info/{CAP}severity") == "Severe"
    cancel = await api.post(
        "/__admin/cap/alerts", json={"msgType": "Cancel", "references": [published["identifier"]]}
    )
    cancelled = ET.fromstring(await (await api.get((await cancel.json())["path"])).read())
    assert cancelled.findtext(f"{CAP}msgType") == "Cancel"
    assert cancelled.findtext(f"{CAP}references") == (
        f"{published['sender']},{published['identifier']},{published['sent']}"
    )
    assert len(await _feed(api)) == 10


@pytest.mark.parametrize(
    "request_body",
    [
        {"msgType": "Update", "references": ["no-such-alert"]},
        {"msgType": "Cancel"},
        {"event": "อุทกภัย"},
        {"event": "อุทกภัย", "areaCodes": ["999999"]},
    ],
)
async def test_a_bad_publish_request_is_400(
    api: TestClient[Any, Any], request_body: dict[str, Any]
) -> None:
    assert (await api.post("/__admin/cap/alerts", json=request_body)).status == 400
    assert len(await _feed(api)) == 8


async def test_the_feed_answers_304_to_a_matching_etag(api: TestClient[Any, Any]) -> None:
    first = await api.get(cap_alerts.FEED_PATH)
    etag = first.headers["ETag"]
    again = await api.get(cap_alerts.FEED_PATH, headers={"If-None-Match": etag})
    assert again.status == 304
    await api.post("/__admin/cap/alerts", json={"event": "ไฟป่า", "areaNames": ["ดอยสุเทพ"]})
    changed = await api.get(cap_alerts.FEED_PATH, headers={"If-None-Match": etag})
    assert changed.status == 200


async def test_an_unknown_alert_is_404(api: TestClient[Any, Any]) -> None:
    assert (await api.get("/cap/alerts/TH-DDPM-0000000000-999.xml")).status == 404


def test_the_initial_alerts_are_deterministic(data: SandboxData) -> None:
    anchor = dt.datetime(2025, 12, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    first = [alert_xml(a) for a in initial_alerts(data, anchor)]
    assert first == [alert_xml(a) for a in initial_alerts(SandboxData(data.snapshot), anchor)]
    assert first != [
        alert_xml(a) for a in initial_alerts(SandboxData(data.snapshot, seed=1), anchor)
    ]


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "cap_alerts", cap_alerts.FEED_PATH)
