"""The CAP 1.2 mapping: a whole document read, and every required element enforced."""

from __future__ import annotations

import datetime as dt

import pytest

from gateway.connectors import UpstreamResponse
from gateway.connectors.cap_alerts import CapFormatError, map_alert, map_feed, map_reference
from gateway.errors import UpstreamBadResponse

BKK = dt.timezone(dt.timedelta(hours=7))
ALERT = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>TH-DDPM-1</identifier><sender>cap@disaster.go.th</sender>
  <sent>2026-11-23T10:00:00+07:00</sent><status>Actual</status><msgType>Update</msgType>
  <scope>Public</scope>
  <references>cap@disaster.go.th,TH-DDPM-0,2026-11-23T09:00:00+07:00</references>
  <info><language>th-TH</language><category>Met</category><event>อุทกภัย</event>
    <urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>
    <expires>2026-11-24T10:00:00+07:00</expires><headline>เตือนภัยอุทกภัย</headline>
    <area><areaDesc>สุราษฎร์ธานี</areaDesc>
      <geocode><valueName>ISO3166-2</valueName><value>TH-84</value></geocode></area>
  </info>
</alert>"""


def _response(body: str, content_type: str = "application/cap+xml") -> UpstreamResponse:
    return UpstreamResponse.build("cap_alerts", 200, body.encode(), {"Content-Type": content_type})


def test_a_whole_alert_is_read() -> None:
    alert = map_alert(_response(ALERT).xml())
    assert alert.key == ("cap@disaster.go.th", "TH-DDPM-1")
    assert (alert.status, alert.msg_type) == ("Actual", "Update")
    assert alert.references[0].key == ("cap@disaster.go.th", "TH-DDPM-0")
    info = alert.infos[0]
    assert (info.language, info.event, info.severity) == ("th-TH", "อุทกภัย", "Severe")
    assert info.expires == dt.datetime(2026, 11, 24, 10, tzinfo=BKK)
    assert info.areas[0].geocodes == (("ISO3166-2", "TH-84"),)


@pytest.mark.parametrize(
    "element",
    [
        "<identifier>TH-DDPM-1</identifier>",
        "<sender>cap@disaster.go.th</sender>",
        "<sent>2026-11-23T10:00:00+07:00</sent>",
        "<status>Actual</status>",
        "<msgType>Update</msgType>",
        "<scope>Public</scope>",
        "<category>Met</category>",
        "<event>อุทกภัย</event>",
        "<urgency>Expected</urgency>",
        "<severity>Severe</severity>",
        "<certainty>Likely</certainty>",
        "<areaDesc>สุราษฎร์ธานี</areaDesc>",
        "<value>TH-84</value>",
    ],
)
def test_a_missing_required_element_refuses_the_alert(element: str) -> None:
    assert element in ALERT
    with pytest.raises(CapFormatError):
        map_alert(_response(ALERT.replace(element, "")).xml())


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<status>Actual</status>", "<status>Real</status>"),
        ("<msgType>Update</msgType>", "<msgType>Memo</msgType>"),
        ("2026-11-23T10:00:00+07:00</sent>", "2026-11-23T10:00:00</sent>"),
        ("<sent>2026-11-23T10:00:00+07:00", "<sent>yesterday"),
        ("urn:oasis:names:tc:emergency:cap:1.2", "urn:oasis:names:tc:emergency:cap:1.1"),
    ],
)
def test_values_out_of_the_standard_refuse_the_alert(before: str, after: str) -> None:
    with pytest.raises(CapFormatError):
        map_alert(_response(ALERT.replace(before, after)).xml())


@pytest.mark.parametrize(
    "body",
    [
        ALERT[: len(ALERT) // 2],
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><alert>&x;</alert>',
    ],
)
def test_broken_or_entity_declaring_xml_is_a_bad_response(body: str) -> None:
    with pytest.raises(UpstreamBadResponse):
        _response(body).xml()


@pytest.mark.parametrize(
    ("triple", "key"),
    [
        ("a@b,ID-1,2026-11-23T10:00:00+07:00", ("a@b", "ID-1")),
        ("cap@tmd.go.th,X,2026-01-01T00:00:00-00:00", ("cap@tmd.go.th", "X")),
    ],
)
def test_references_are_triples(triple: str, key: tuple[str, str]) -> None:
    assert map_reference(triple).key == key


@pytest.mark.parametrize("triple", ["a@b,ID-1", "a@b,,2026-11-23T10:00:00+07:00"])
def test_a_reference_that_is_not_a_triple_is_refused(triple: str) -> None:
    with pytest.raises(CapFormatError):
        map_reference(triple)


def test_the_feed_gives_the_paths_of_its_documents() -> None:
    feed = """<feed xmlns="http://www.w3.org/2005/Atom"><entry>
      <link rel="alternate" type="application/cap+xml" href="http://h:1/cap/alerts/B.xml"/>
      </entry><entry>
      <link rel="alternate" type="application/cap+xml" href="http://h:1/cap/alerts/A.xml"/>
      </entry></feed>"""
    root = _response(feed, "application/atom+xml").xml()
    assert map_feed(root) == ("/cap/alerts/B.xml", "/cap/alerts/A.xml")
