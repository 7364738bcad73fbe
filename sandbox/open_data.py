"""The Ministry of Interior's open datasets as the data.go.th sandbox publishes them.

Each dataset has one CSV resource whose rows are also in the datastore; every row is derived
from the sandbox data: the registry's codes, the CITIZENinfo service points, the local
governments among them, and complaint statistics of the 1567 centres (seeded counts).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.data import SandboxData
from sandbox.memo import per_snapshot
from sandbox.service_points import service_points

__all__ = [
    "COMPLAINT_CATEGORIES",
    "DATASETS",
    "Dataset",
    "complaint_statistics",
    "local_governments",
    "registry_codes",
    "service_point_rows",
]

Row = dict[str, Any]
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://data.go.th.sandbox/")
COMPLAINT_CATEGORIES = (
    "ความเดือดร้อนทั่วไป",
    "ปัญหาที่ดิน",
    "หนี้นอกระบบ",
    "ยาเสพติด",
    "การกระทำผิดของเจ้าหน้าที่รัฐ",
    "ขอความช่วยเหลือ",
)
# Fiscal year 2567 BE: October 2566 to September 2567.
_MONTHS = tuple(f"2566-{m:02d}" for m in (10, 11, 12)) + tuple(
    f"2567-{m:02d}" for m in range(1, 10)
)


@dataclass(frozen=True, slots=True)
class Dataset:
    """One CKAN package with its one datastore resource."""

    name: str
    title: str
    organization: tuple[str, str]  # (name, Thai title)
    notes: str
    tags: tuple[str, ...]
    modified: str  # ISO 8601, as CKAN writes metadata_modified
    fields: tuple[tuple[str, str], ...]  # datastore (id, type)
    rows: Callable[[SandboxData], list[Row]]

    @property
    def package_id(self) -> str:
        """The package's uuid."""
        return str(uuid.uuid5(_NAMESPACE, f"package/{self.name}"))

    @property
    def resource_id(self) -> str:
        """The resource's uuid (``resource_id`` of ``datastore_search``)."""
        return str(uuid.uuid5(_NAMESPACE, f"resource/{self.name}"))


@per_snapshot
def service_point_rows(data: SandboxData) -> list[Row]:
    """One row per CITIZENinfo service point."""
    return [
        {
            "point_id": p.point_id,
            "name": p.name,
            "org_code": p.org_code,
            "tambon_code": p.tambon_code,
            "lat": p.lat,
            "lon": p.lon,
            "no_copy": p.no_copy,
        }
        for p in service_points(data).points
    ]


@per_snapshot
def registry_codes(data: SandboxData) -> list[Row]:
    """One row per area code, active or abolished."""
    return [
        {
            "code": a.code,
            "level": a.level.word,
            "name_th": a.name_th,
            "name_en": a.name_en,
            "parent_code": a.parent_code,
            "status": a.status.value,
        }
        for a in data.snapshot.areas.values()
    ]


@per_snapshot
def local_governments(data: SandboxData) -> list[Row]:
    """One row per subdistrict municipality or SAO among the service points."""
    types = {"municipality": "เทศบาลตำบล", "sao": "องค์การบริหารส่วนตำบล"}
    return [
        {
            "lao_code": p.org_code,
            "name": p.name,
            "lao_type": types[p.kind],
            "tambon_code": p.tambon_code,
        }
        for p in service_points(data).points
        if p.kind in types
    ]


@per_snapshot
def complaint_statistics(data: SandboxData) -> list[Row]:
    """Complaints received and closed per province, month and category (seeded counts)."""
    rows = []
    for province in data.snapshot.provinces:
        rng = data.rng("ckan", "complaints", province.code)
        for month in _MONTHS:
            for category in COMPLAINT_CATEGORIES:
                received = rng.randint(0, 120)
                rows.append(
                    {
                        "province_code": province.code,
                        "province_name": province.name_th,
                        "year_month": month,
                        "category": category,
                        "received": received,
                        "closed": rng.randint(received * 6 // 10, received),
                    }
                )
    return rows


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "service-points",
        "จุดให้บริการภาครัฐ (CITIZENinfo)",
        ("opdc", "สำนักงานคณะกรรมการพัฒนาระบบราชการ"),
        "พิกัดจุดให้บริการของหน่วยงานภาครัฐประมาณ 60,000 แห่ง พร้อมสถานะโครงการไม่ขอสำเนาเอกสาร",
        ("จุดบริการ", "citizeninfo", "พิกัด", "no copy"),
        "2024-06-01T08:00:00.000000",
        (("point_id", "text"), ("name", "text"), ("org_code", "text"), ("tambon_code", "text"),
         ("lat", "numeric"), ("lon", "numeric"), ("no_copy", "bool")),
        service_point_rows,
    ),
    Dataset(
        "administrative-codes",
        "รหัสเขตการปกครอง จังหวัด อำเภอ ตำบล",
        ("dopa", "กรมการปกครอง"),
        "รหัสมาตรฐานเขตการปกครองของกรมการปกครอง รวมรหัสที่ยกเลิกแล้ว",
        ("รหัสเขตการปกครอง", "จังหวัด", "อำเภอ", "ตำบล"),
        "2023-09-01T00:00:00.000000",
        (("code", "text"), ("level", "text"), ("name_th", "text"), ("name_en", "text"),
         ("parent_code", "text"), ("status", "text")),
        registry_codes,
    ),
    Dataset(
        "local-government-organizations",
        "รายชื่อองค์กรปกครองส่วนท้องถิ่นระดับตำบล",
        ("dla", "กรมส่งเสริมการปกครองท้องถิ่น"),
        "เทศบาลตำบลและองค์การบริหารส่วนตำบล พร้อมรหัส อปท. และตำบลที่ตั้ง",
        ("อปท", "เทศบาล", "อบต"),
        "2024-01-15T00:00:00.000000",
        (("lao_code", "text"), ("name", "text"), ("lao_type", "text"), ("tambon_code", "text")),
        local_governments,
    ),
    Dataset(
        "complaint-statistics-1567",
        "สถิติเรื่องร้องเรียนศูนย์ดำรงธรรม 1567 รายจังหวัด ปีงบประมาณ 2567",
        ("moi", "สำนักงานปลัดกระทรวงมหาดไทย"),
        "จำนวนเรื่องร้องเรียนที่รับและยุติ แยกตามจังหวัด เดือน และประเภทเรื่อง",
        ("ร้องเรียน", "1567", "ศูนย์ดำรงธรรม", "สถิติ"),
        "2024-10-05T00:00:00.000000",
        (("province_code", "text"), ("province_name", "text"), ("year_month", "text"),
         ("category", "text"), ("received", "int"), ("closed", "int")),
        complaint_statistics,
    ),
)  # fmt: skip
