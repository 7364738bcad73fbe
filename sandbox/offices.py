"""The kinds of government service points the sandbox places, with their Thai names.

A kind sits at one level: one per subdistrict (a local government office, a health-promoting
hospital, a post office, ...), per district (the district office, the land office's branch, ...)
or per province (the provincial hall, the land office, the transport office, ...). Service
points (CITIZENinfo) and procedures (info.go.th) both refer to kinds by their ``key``.
"""

from __future__ import annotations

from dataclasses import dataclass

from central_codes.codes import Level
from central_codes.records import AreaRecord

__all__ = ["BANGKOK", "KINDS", "ORG_NAMES", "OfficeKind", "office_name", "org_code"]

BANGKOK = "10"

ORG_NAMES: dict[str, str] = {
    "DOPA": "กรมการปกครอง",
    "DLA": "กรมส่งเสริมการปกครองท้องถิ่น",
    "BMA": "กรุงเทพมหานคร",
    "MOPH": "สำนักงานปลัดกระทรวงสาธารณสุข",
    "THP": "บริษัท ไปรษณีย์ไทย จำกัด",
    "RTP": "สำนักงานตำรวจแห่งชาติ",
    "OBEC": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
    "DOAE": "กรมส่งเสริมการเกษตร",
    "DOL": "กรมที่ดิน",
    "PEA": "การไฟฟ้าส่วนภูมิภาค",
    "MEA": "การไฟฟ้านครหลวง",
    "RD": "กรมสรรพากร",
    "OPS": "สำนักงานปลัดกระทรวงมหาดไทย",
    "DLT": "กรมการขนส่งทางบก",
    "SSO": "สำนักงานประกันสังคม",
    "DOE": "กรมการจัดหางาน",
    "MOC": "สำนักงานปลัดกระทรวงพาณิชย์",
}


@dataclass(frozen=True, slots=True)
class OfficeKind:
    """One kind of service point: where it sits, who runs it, how it is named."""

    key: str
    level: Level
    org: str  # the running organisation's abbreviation, the prefix of ``orgCode``
    name: str  # Thai; {t} subdistrict, {a} "อำเภอX"/"เขตX", {a0} "X", {p} "จังหวัดX"/"กรุงเทพมหานคร"
    bangkok_name: str | None = None  # Bangkok's own name for it, when it differs


_S, _D, _P = Level.SUBDISTRICT, Level.DISTRICT, Level.PROVINCE

KINDS: dict[str, OfficeKind] = {
    k.key: k
    for k in (
        OfficeKind("municipality", _S, "DLA", "สำนักงานเทศบาลตำบล{t}"),
        OfficeKind("sao", _S, "DLA", "ที่ทำการองค์การบริหารส่วนตำบล{t}"),
        OfficeKind("bma_centre", _S, "BMA", "ศูนย์บริการสาธารณสุขกรุงเทพมหานคร แขวง{t}"),
        OfficeKind("health", _S, "MOPH", "โรงพยาบาลส่งเสริมสุขภาพตำบล{t}"),
        OfficeKind("post", _S, "THP", "ที่ทำการไปรษณีย์{t}"),
        OfficeKind("police", _S, "RTP", "สถานีตำรวจภูธร{t}", "สถานีตำรวจนครบาล{t}"),
        OfficeKind("childcare", _S, "DLA", "ศูนย์พัฒนาเด็กเล็ก{t}"),
        OfficeKind("school", _S, "OBEC", "โรงเรียนบ้าน{t}"),
        OfficeKind("agri_centre", _S, "DOAE", "ศูนย์ถ่ายทอดเทคโนโลยีการเกษตรประจำตำบล{t}"),
        OfficeKind("district_office", _D, "DOPA", "ที่ว่าการ{a}", "สำนักงาน{a}"),
        OfficeKind("land_branch", _D, "DOL", "สำนักงานที่ดิน{p} สาขา{a0}"),
        OfficeKind("hospital", _D, "MOPH", "โรงพยาบาล{a0}"),
        OfficeKind("electricity", _D, "PEA", "การไฟฟ้าส่วนภูมิภาค{a}", "การไฟฟ้านครหลวง{a}"),
        OfficeKind("agri_office", _D, "DOAE", "สำนักงานเกษตร{a}"),
        OfficeKind("revenue", _D, "RD", "สำนักงานสรรพากรพื้นที่สาขา{a0}"),
        OfficeKind("provincial_hall", _P, "OPS", "ศาลากลาง{p}", "ศาลาว่าการกรุงเทพมหานคร"),
        OfficeKind("land_office", _P, "DOL", "สำนักงานที่ดิน{p}"),
        OfficeKind("transport", _P, "DLT", "สำนักงานขนส่ง{p}"),
        OfficeKind("social_security", _P, "SSO", "สำนักงานประกันสังคม{p}"),
        OfficeKind("employment", _P, "DOE", "สำนักงานจัดหางาน{p}"),
        OfficeKind("damrongdhama", _P, "OPS", "ศูนย์ดำรงธรรม{p}"),
        OfficeKind("health_office", _P, "MOPH", "สำนักงานสาธารณสุข{p}"),
        OfficeKind("commerce", _P, "MOC", "สำนักงานพาณิชย์{p}"),
        OfficeKind("dla_office", _P, "DLA", "สำนักงานส่งเสริมการปกครองท้องถิ่น{p}"),
    )
}


def _district_word(district: AreaRecord) -> str:
    return district.name_th if district.name_th.startswith("เขต") else f"อำเภอ{district.name_th}"


def _province_word(province: AreaRecord) -> str:
    return province.name_th if province.code == BANGKOK else f"จังหวัด{province.name_th}"


def office_name(
    kind: OfficeKind, subdistrict: AreaRecord, district: AreaRecord, province: AreaRecord
) -> str:
    """The Thai name of a point of this kind in this subdistrict (district, province)."""
    template = kind.name
    if province.code == BANGKOK and kind.bangkok_name is not None:
        template = kind.bangkok_name
    return template.format(
        t=subdistrict.name_th,
        a=_district_word(district),
        a0=district.name_th.removeprefix("เขต"),
        p=_province_word(province),
    )


def org_code(kind: OfficeKind, subdistrict: AreaRecord) -> str:
    """The organisation's code: DLA's 7-digit LAO code, else ``ORG-<area code>``.

    LAO codes follow DLA's pattern ``T AAAA NN`` (5 subdistrict municipality, 6 subdistrict
    administrative organisation); the sequence here is the subdistrict's own number.
    """
    code = subdistrict.code[: kind.level.value]
    if kind.key in ("municipality", "sao"):
        return ("5" if kind.key == "municipality" else "6") + subdistrict.code
    if kind.key == "electricity" and code.startswith(("10", "11", "12")):
        return f"MEA-{code}"
    return f"{kind.org}-{code}"
