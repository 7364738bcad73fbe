"""info.go.th, the citizen's-manual backend (older deployment), as the sandbox serves it.

Contract:

- [known] the paths, each a GET with the id as the last segment:
  ``/Api/Procedure/a/GetProcedureDetailV2/{ProcedureID}``,
  ``/Api/CitizenGuide/a/GetCitizenGuideDetail/{CitizenGuideID}?orgCode=...`` and
  ``/Api/CitizenGuide/a/GetCitizenGuide{Boundaries,Steps,Documents,Fees,Complains}ByCitizenGuideID/{id}``;
  PascalCase JSON keys (the backend is ASP.NET Web API: ``ProcedureID``, ``CitizenGuideID``).
- [assumed] every response field name below other than those two ids; that an unknown id
  answers 200 with ``null`` (details) or ``[]`` (lists), as Web API does for a null result,
  and a non-numeric id 400 ``{"Message": "The request is invalid."}``.

One citizen guide per procedure; procedure ids are the ones CITIZENinfo's points reference.
Each guide's facts (durations, which documents are asked for as photocopies: the "No Copy"
programme) are derived from ``data.rng("infogoth", str(guide id))``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from sandbox.data import SandboxData
from sandbox.procedures import Procedure, by_guide_id, by_procedure_id
from sandbox.server import Agency

__all__ = [
    "AGENCY",
    "guide_boundaries",
    "guide_complains",
    "guide_detail",
    "guide_documents",
    "guide_fees",
    "guide_steps",
    "procedure_detail",
]

Json = dict[str, Any]
OPENING_HOURS = "วันจันทร์ ถึง วันศุกร์ (ยกเว้นวันหยุดที่ทางราชการกำหนด) ตั้งแต่เวลา 08:30 - 16:30 น."
_SLOW = frozenset({"การอนุญาต", "ที่ดิน", "สวัสดิการ", "แรงงาน", "ร้องเรียน", "พาณิชย์", "ท้องถิ่น"})
_STEPS = (
    ("การตรวจสอบเอกสาร", "เจ้าหน้าที่รับคำขอและตรวจสอบความครบถ้วนของเอกสารหลักฐาน"),
    ("การพิจารณา", "เจ้าหน้าที่พิจารณาคำขอและเสนอผู้มีอำนาจ"),
    ("การลงนามอนุมัติ", "ผู้มีอำนาจลงนามอนุมัติ"),
    ("การแจ้งผล", "แจ้งผลการพิจารณาและส่งมอบเอกสารให้ผู้ยื่นคำขอ"),
)


def _is_no_copy(data: SandboxData, procedure: Procedure) -> bool:
    return data.rng("infogoth", str(procedure.citizen_guide_id), "nocopy").random() < 0.8


def procedure_detail(data: SandboxData, procedure_id: int) -> Json | None:
    """``GetProcedureDetailV2``: the procedure and its citizen guide, or None."""
    procedure = by_procedure_id().get(procedure_id)
    if procedure is None:
        return None
    return {
        "ProcedureID": procedure.procedure_id,
        "ProcedureName": procedure.title,
        "Category": procedure.family.category,
        "OrganizationName": procedure.organisation,
        "CitizenGuides": [{"CitizenGuideID": procedure.citizen_guide_id, "Title": procedure.title}],
    }


def guide_detail(data: SandboxData, guide_id: int, org_code: str | None = None) -> Json | None:
    """``GetCitizenGuideDetail``: the guide's header, or None."""
    procedure = by_guide_id().get(guide_id)
    if procedure is None:
        return None
    days = procedure.family.category in _SLOW
    return {
        "CitizenGuideID": procedure.citizen_guide_id,
        "ProcedureID": procedure.procedure_id,
        "Title": procedure.title,
        "Category": procedure.family.category,
        "ResponsibleOrganization": procedure.organisation,
        "OrgCode": org_code,
        "ServiceChannels": [
            {"Location": procedure.kind.name.split("{")[0], "OpeningHours": OPENING_HOURS}
        ],
        "TotalProcessingTime": sum(s["Duration"] for s in guide_steps(data, guide_id)),
        "ProcessingTimeUnit": "วัน" if days else "นาที",
        "NoCopy": _is_no_copy(data, procedure),
        "LastUpdated": "2019-03-14T00:00:00",
    }


def guide_steps(data: SandboxData, guide_id: int) -> list[Json]:
    """The guide's steps, in order, each with its duration."""
    procedure = by_guide_id().get(guide_id)
    if procedure is None:
        return []
    rng = data.rng("infogoth", str(guide_id), "steps")
    days = procedure.family.category in _SLOW
    count = 4 if days else 2
    return [
        {
            "StepNo": n,
            "StepName": name,
            "Description": text,
            "Duration": rng.randint(1, 15) if days else rng.choice((5, 10, 15, 20, 30)),
            "DurationUnit": "วัน" if days else "นาที",
            "ResponsibleUnit": procedure.organisation,
        }
        for n, (name, text) in enumerate(_STEPS[:count], start=1)
    ]


def guide_documents(data: SandboxData, guide_id: int) -> list[Json]:
    """The documents to bring; ``CopyCount`` > 0 where a photocopy is still asked for."""
    procedure = by_guide_id().get(guide_id)
    if procedure is None:
        return []
    no_copy = _is_no_copy(data, procedure)
    names = ("บัตรประจำตัวประชาชน", *procedure.family.documents)
    return [
        {
            "DocumentNo": n,
            "DocumentName": name,
            "IssuedBy": "กรมการปกครอง" if n == 1 else "-",
            "OriginalCount": 1,
            "CopyCount": 0 if no_copy else 1,
            "Unit": "ฉบับ",
            "NoCopy": no_copy,
        }
        for n, name in enumerate(names, start=1)
    ]


def guide_fees(data: SandboxData, guide_id: int) -> list[Json]:
    """The fees; a free procedure lists one fee of 0 baht."""
    procedure = by_guide_id().get(guide_id)
    if procedure is None:
        return []
    text = f"ค่าธรรมเนียม{procedure.family.title}" if procedure.fee else "ไม่เสียค่าธรรมเนียม"
    return [{"FeeNo": 1, "FeeDescription": text, "Amount": procedure.fee, "Currency": "บาท"}]


def guide_complains(data: SandboxData, guide_id: int) -> list[Json]:
    """Where to complain about this service."""
    procedure = by_guide_id().get(guide_id)
    if procedure is None:
        return []
    return [
        {
            "ComplainNo": 1,
            "ChannelName": procedure.organisation,
            "Telephone": None,
            "Website": None,
        },
        {
            "ComplainNo": 2,
            "ChannelName": "ศูนย์ดำรงธรรม กระทรวงมหาดไทย",
            "Telephone": "1567",
            "Website": None,
        },
        {
            "ComplainNo": 3,
            "ChannelName": "ศูนย์บริการประชาชน สำนักงานปลัดสำนักนายกรัฐมนตรี",
            "Telephone": "1111",
            "Website": "www.1111.go.th",
        },
    ]


def guide_boundaries(data: SandboxData, guide_id: int) -> list[Json]:
    """The guide's rules and conditions (หลักเกณฑ์ วิธีการ เงื่อนไข)."""
    procedure = by_guide_id().get(guide_id)
    if procedure is None:
        return []
    return [
        {
            "BoundaryNo": 1,
            "Description": f"ยื่นคำขอ{procedure.title} ณ สถานที่ให้บริการของ{procedure.organisation}",
        },
        {
            "BoundaryNo": 2,
            "Description": "กรณีคำขอหรือเอกสารหลักฐานไม่ครบถ้วน เจ้าหน้าที่จะบันทึกความบกพร่องและแจ้งให้ผู้ยื่นคำขอทราบ",
        },
    ]


_LISTS: dict[str, Callable[[SandboxData, int], list[Json]]] = {
    "Boundaries": guide_boundaries,
    "Steps": guide_steps,
    "Documents": guide_documents,
    "Fees": guide_fees,
    "Complains": guide_complains,
}


def _id(request: web.Request) -> int:
    raw = request.match_info["id"]
    if not (raw.isascii() and raw.isdigit()):
        raise web.HTTPBadRequest(
            text='{"Message":"The request is invalid."}', content_type="application/json"
        )
    return int(raw)


def routes(data: SandboxData) -> Sequence[web.RouteDef]:
    """The citizen-guide and procedure routes."""

    async def procedure(request: web.Request) -> web.Response:
        return web.json_response(procedure_detail(data, _id(request)))

    async def detail(request: web.Request) -> web.Response:
        return web.json_response(guide_detail(data, _id(request), request.query.get("orgCode")))

    def listing(build: Callable[[SandboxData, int], list[Json]]) -> Any:
        async def handle(request: web.Request) -> web.Response:
            return web.json_response(build(data, _id(request)))

        return handle

    base = "/Api/CitizenGuide/a/GetCitizenGuide"
    return [
        web.get("/Api/Procedure/a/GetProcedureDetailV2/{id}", procedure),
        web.get("/Api/CitizenGuide/a/GetCitizenGuideDetail/{id}", detail),
        *(
            web.get(f"{base}{part}ByCitizenGuideID/{{id}}", listing(f))
            for part, f in _LISTS.items()
        ),
    ]


AGENCY = Agency("infogoth", "info.go.th citizen's manual (older deployment)", routes)
