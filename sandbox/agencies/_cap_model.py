"""CAP 1.2 alerts for the sandbox: the model, its XML, and the deterministic initial alerts.

Each alert carries two ``info`` blocks, Thai (``th-TH``) then English (``en-US``), sharing one
set of areas. An area is located by ``geocode`` (``valueName`` ``ISO3166-2`` with ``TH-CC``, or
``DOPA`` with a 4- or 6-digit DOPA code) or, like TMD's feed, by its ``areaDesc`` name only.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

from sandbox.data import SandboxData

__all__ = [
    "CAP_NS",
    "SENDERS",
    "Alert",
    "Area",
    "Text",
    "alert_xml",
    "area_for_code",
    "initial_alerts",
]

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
DDPM = (
    "cap@disaster.go.th",
    "กรมป้องกันและบรรเทาสาธารณภัย",
    "Department of Disaster Prevention and Mitigation",
)
TMD = ("cap@tmd.go.th", "กรมอุตุนิยมวิทยา", "Thai Meteorological Department")
SENDERS = {"ddpm": DDPM, "tmd": TMD}


@dataclass(frozen=True, slots=True)
class Text:
    """One phrase in Thai and English."""

    th: str
    en: str


@dataclass(frozen=True, slots=True)
class Area:
    """A CAP area: its names and geocodes (``(valueName, value)``, possibly none)."""

    desc: Text
    geocodes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Alert:
    """One CAP alert message, in the fields the sandbox fills."""

    identifier: str
    sender: tuple[str, str, str]  # address, Thai name, English name
    sent: dt.datetime
    status: str
    msg_type: str
    category: str
    event: Text
    urgency: str
    severity: str
    certainty: str
    onset: dt.datetime
    expires: dt.datetime
    headline: Text
    description: Text
    instruction: Text
    areas: tuple[Area, ...]
    references: tuple[Alert, ...] = ()

    @property
    def reference(self) -> str:
        """This alert as a CAP reference: ``sender,identifier,sent``."""
        return f"{self.sender[0]},{self.identifier},{self.sent.isoformat()}"


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{CAP_NS}}}{tag}")
    child.text = text
    return child


def _info(root: ET.Element, alert: Alert, language: str) -> None:
    th = language == "th-TH"
    info = ET.SubElement(root, f"{{{CAP_NS}}}info")
    _sub(info, "language", language)
    _sub(info, "category", alert.category)
    _sub(info, "event", alert.event.th if th else alert.event.en)
    for tag in ("urgency", "severity", "certainty"):
        _sub(info, tag, getattr(alert, tag))
    _sub(info, "effective", alert.sent.isoformat())
    _sub(info, "onset", alert.onset.isoformat())
    _sub(info, "expires", alert.expires.isoformat())
    _sub(info, "senderName", alert.sender[1] if th else alert.sender[2])
    for tag in ("headline", "description", "instruction"):
        text: Text = getattr(alert, tag)
        _sub(info, tag, text.th if th else text.en)
    for area in alert.areas:
        element = ET.SubElement(info, f"{{{CAP_NS}}}area")
        _sub(element, "areaDesc", area.desc.th if th else area.desc.en)
        for name, value in area.geocodes:
            geocode = ET.SubElement(element, f"{{{CAP_NS}}}geocode")
            _sub(geocode, "valueName", name)
            _sub(geocode, "value", value)


def alert_xml(alert: Alert) -> str:
    """The alert as a CAP 1.2 XML document."""
    ET.register_namespace("", CAP_NS)
    root = ET.Element(f"{{{CAP_NS}}}alert")
    _sub(root, "identifier", alert.identifier)
    _sub(root, "sender", alert.sender[0])
    _sub(root, "sent", alert.sent.isoformat())
    _sub(root, "status", alert.status)
    _sub(root, "msgType", alert.msg_type)
    _sub(root, "scope", "Public")
    if alert.references:
        _sub(root, "references", " ".join(r.reference for r in alert.references))
    for language in ("th-TH", "en-US"):
        _info(root, alert, language)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'


def area_for_code(data: SandboxData, code: str, *, by_name: bool = False) -> Area:
    """The CAP area of one registry area: ISO code for a province, DOPA code below, or no code."""
    record = data.snapshot.areas[code]
    desc = Text(record.name_th, record.name_en or record.name_th)
    if by_name:
        return Area(desc)
    if len(code) == 2:
        return Area(desc, (("ISO3166-2", f"TH-{code}"),))
    return Area(desc, (("DOPA", code),))


@dataclass(frozen=True, slots=True)
class _Spec:
    """One initial alert: what, where (a level, or 0 for two provinces by name), when."""

    key: str
    sender: tuple[str, str, str]
    sent: int  # hours from the anchor
    expires: int
    category: str
    event: Text
    urgency: str
    severity: str
    level: int
    description: Text
    instruction: Text
    status: str = "Actual"
    among: tuple[str, ...] = ()  # the provinces to pick from (default: any)


_SPECS = (
    _Spec("drought", DDPM, -96, -48, "Env", Text("ภัยแล้ง", "Drought"), "Past", "Moderate", 2,
          Text("ฝนทิ้งช่วง ขาดแคลนน้ำอุปโภคบริโภค", "Rain has failed; drinking water is short."),
          Text("ใช้น้ำอย่างประหยัด", "Use water sparingly.")),
    _Spec("flood", DDPM, -6, 42, "Met", Text("อุทกภัย", "Flood"), "Expected", "Severe", 2,
          Text("ฝนตกหนักสะสม ระดับน้ำในแม่น้ำสูงขึ้น", "Heavy rain has raised river levels."),
          Text("ขนย้ายสิ่งของขึ้นที่สูง ติดตามประกาศ", "Move belongings to higher ground.")),
    _Spec("rain", TMD, -4, 20, "Met", Text("ฝนตกหนัก", "Heavy rain"), "Expected", "Moderate", 0,
          Text("ร่องมรสุมพาดผ่าน", "A monsoon trough lies across the area."),
          Text("ระวังน้ำท่วมฉับพลันและน้ำป่าไหลหลาก", "Beware of flash floods.")),
    _Spec("storm", TMD, -3, 21, "Met", Text("พายุฤดูร้อน", "Thunderstorm"), "Immediate", "Moderate", 4,
          Text("พายุฝนฟ้าคะนอง ลมกระโชกแรง", "Thunderstorms with strong gusts."),
          Text("หลีกเลี่ยงที่โล่งแจ้งและต้นไม้ใหญ่", "Keep away from open ground and large trees.")),
    _Spec("landslide", DDPM, -2, 46, "Geo", Text("ดินโคลนถล่ม", "Landslide"), "Immediate", "Extreme", 6,
          Text("ดินอิ่มน้ำบนลาดเขา", "Hillsides are saturated."),
          Text("อพยพออกจากพื้นที่เชิงเขา", "Leave hillside areas.")),
    _Spec("drill", DDPM, -1, 5, "Geo", Text("สึนามิ", "Tsunami"), "Expected", "Minor", 2,
          Text("การฝึกซ้อมอพยพหนีภัยสึนามิ", "A tsunami evacuation exercise."),
          Text("ปฏิบัติตามเจ้าหน้าที่", "Follow the officials."), status="Exercise",
          among=("81", "82", "83", "85", "91", "92")),  # the Andaman coast
)  # fmt: skip


def _areas(data: SandboxData, spec: _Spec) -> tuple[Area, ...]:
    if spec.level == 0:  # TMD style: names only
        picks = list(dict.fromkeys(_pick(data, f"{spec.key}{i}", 2) for i in range(1, 6)))
        return tuple(area_for_code(data, code, by_name=True) for code in picks[:2])
    if spec.among:
        return (area_for_code(data, data.rng("cap_alerts", spec.key).choice(spec.among)),)
    return (area_for_code(data, _pick(data, spec.key, spec.level)),)


def _from_spec(data: SandboxData, spec: _Spec, n: int, anchor: dt.datetime) -> Alert:
    areas = _areas(data, spec)
    names = Text(" ".join(a.desc.th for a in areas), ", ".join(a.desc.en for a in areas))
    sent = anchor + dt.timedelta(hours=spec.sent)
    prefix = "DDPM" if spec.sender is DDPM else "TMD"
    return Alert(
        identifier=f"TH-{prefix}-{anchor:%Y%m%d%H}-{n:03d}",
        sender=spec.sender, sent=sent, status=spec.status, msg_type="Alert",
        category=spec.category, event=spec.event, urgency=spec.urgency, severity=spec.severity,
        certainty="Likely", onset=sent, expires=anchor + dt.timedelta(hours=spec.expires),
        headline=Text(f"เตือนภัย{spec.event.th} {names.th}", f"{spec.event.en} warning: {names.en}"),
        description=spec.description, instruction=spec.instruction, areas=areas,
    )  # fmt: skip


def _pick(data: SandboxData, key: str, level: int) -> str:
    if level == 2:
        return data.rng("cap_alerts", key).choice(data.snapshot.provinces).code
    province = _pick(data, key, 2)
    areas = data.snapshot.subdistricts_by_province[province]
    return data.rng("cap_alerts", key, "area").choice(areas).code[:level]


def initial_alerts(data: SandboxData, anchor: dt.datetime) -> list[Alert]:
    """The alerts the feed starts with, timed around ``anchor`` (oldest first).

    A drought (expired two days before the anchor), a flood for a province (ISO code), heavy
    rain for two provinces by name only, a thunderstorm for a district and a landslide for a
    subdistrict (DOPA codes), a tsunami Exercise, then an Update of the flood (now Extreme)
    and a Cancel of the thunderstorm, each naming what it replaces in ``references``.
    """
    made = [_from_spec(data, spec, n, anchor) for n, spec in enumerate(_SPECS, start=1)]
    flood, storm = made[1], made[3]
    stamp = f"{anchor:%Y%m%d%H}"
    update = replace(flood, identifier=f"TH-DDPM-{stamp}-007", sent=anchor - dt.timedelta(
        minutes=30), msg_type="Update", severity="Extreme", references=(flood,))  # fmt: skip
    cancel = replace(storm, identifier=f"TH-TMD-{stamp}-008", sent=anchor, msg_type="Cancel",
                     headline=Text(f"ยกเลิก: {storm.headline.th}", f"Cancelled: {storm.headline.en}"),
                     references=(storm,))  # fmt: skip
    return [*made, update, cancel]
