"""info.go.th connector: the mapping tables, and whole procedures read from the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.connectors.infogoth import (
    ComplaintChannel,
    InfoGoThClient,
    ProcedureDocument,
    ProcedureFee,
    ProcedureHeader,
    ProcedureStep,
    map_complaint_channel,
    map_document,
    map_fee,
    map_header,
    map_step,
)
from gateway.errors import UpstreamBlocked, UpstreamError
from sandbox.agencies.infogoth import guide_documents
from sandbox.procedures import by_procedure_id
from sandbox.server import Sandbox

HEADER = {
    "ProcedureID": 1001, "ProcedureName": "การแจ้งเกิด กรณีเกิดในบ้าน", "Category": "ทะเบียนราษฎร",
    "OrganizationName": "กรมการปกครอง", "CitizenGuides": [{"CitizenGuideID": 70001, "Title": "x"}],
}  # fmt: skip
DOCUMENT = {
    "DocumentNo": 2, "DocumentName": "สำเนาทะเบียนบ้าน", "IssuedBy": "-", "OriginalCount": 1,
    "CopyCount": 0, "Unit": "ฉบับ", "NoCopy": True,
}  # fmt: skip


def test_map_header_takes_the_first_guide() -> None:
    assert map_header(HEADER) == ProcedureHeader(
        1001, "การแจ้งเกิด กรณีเกิดในบ้าน", "ทะเบียนราษฎร", "กรมการปกครอง", 70001
    )


@pytest.mark.parametrize(
    ("changes", "no_copy", "copies"),
    [
        ({}, True, 0),
        ({"NoCopy": False, "CopyCount": 1}, False, 1),
        ({"NoCopy": True, "CopyCount": 2}, False, 2),  # the count wins over the flag
        ({"NoCopy": None, "CopyCount": "0"}, True, 0),  # no flag: no copies asked for
        ({"NoCopy": None, "CopyCount": 1}, False, 1),
    ],
)
def test_map_document_no_copy(changes: dict[str, Any], no_copy: bool, copies: int) -> None:
    assert map_document(DOCUMENT | changes) == ProcedureDocument(
        2, "สำเนาทะเบียนบ้าน", "-", 1, copies, "ฉบับ", no_copy
    )


@pytest.mark.parametrize(
    ("mapped", "expected"),
    [
        (
            map_step({"StepNo": 1, "StepName": "ตรวจ", "Duration": 5, "DurationUnit": "นาที"}),
            ProcedureStep(1, "ตรวจ", "", 5.0, "นาที", ""),
        ),
        (
            map_fee({"FeeNo": 1, "FeeDescription": "ค่าธรรมเนียม", "Amount": "20.50", "Currency": "บาท"}),
            ProcedureFee(1, "ค่าธรรมเนียม", Decimal("20.50"), "บาท"),
        ),
        (
            map_fee({"FeeNo": 1, "FeeDescription": "ไม่เสียค่าธรรมเนียม", "Amount": None}),
            ProcedureFee(1, "ไม่เสียค่าธรรมเนียม", Decimal(0), ""),
        ),
        (
            map_complaint_channel({"ComplainNo": 2, "ChannelName": "ศูนย์ดำรงธรรม", "Telephone": "1567",
                                   "Website": " "}),
            ComplaintChannel(2, "ศูนย์ดำรงธรรม", "1567", None),
        ),
    ],
)  # fmt: skip
def test_map_lists(mapped: object, expected: object) -> None:
    assert mapped == expected


@pytest.mark.parametrize(
    ("mapper", "item"),
    [
        (map_header, HEADER | {"CitizenGuides": []}),
        (map_header, HEADER | {"ProcedureID": "x"}),
        (map_document, {"DocumentName": "x"}),
        (map_fee, {"FeeNo": 1, "Amount": "free"}),
    ],
)
def test_mappings_refuse_other_shapes(mapper: Any, item: dict[str, Any]) -> None:
    with pytest.raises((LookupError, ValueError, ArithmeticError)):
        mapper(item)


@pytest.fixture
async def infogoth(clean_points_sandbox: Sandbox) -> AsyncIterator[tuple[InfoGoThClient, Sandbox]]:
    """A client on a cold runtime (no retries) to the sandbox's info.go.th."""
    url = clean_points_sandbox.urls["infogoth"]
    settings = ConnectorSettings("infogoth", base_url=url, retries=0)
    async with client_session() as session:
        runtime = ConnectorRuntime(settings, session, cache=MemoryCache())
        yield InfoGoThClient(runtime, "r-1"), clean_points_sandbox


def _calls(sandbox: Sandbox) -> int:
    return len(sandbox.state.agency("infogoth").requests)


async def test_a_procedure_is_read_whole_then_from_the_cache(infogoth: Any) -> None:
    client, sandbox = infogoth
    fetched = await client.procedure(1001)
    procedure = fetched.value
    known = by_procedure_id()[1001]
    assert procedure is not None
    assert (procedure.header.name, procedure.header.guide_id) == (
        known.title,
        known.citizen_guide_id,
    )
    documents = guide_documents(sandbox.data, known.citizen_guide_id)
    assert [d.name for d in procedure.documents] == [d["DocumentName"] for d in documents]
    assert [d.no_copy for d in procedure.documents] == [d["NoCopy"] for d in documents]
    assert len(procedure.fees) == 1
    assert len(procedure.complaint_channels) == 3
    assert [s.number for s in procedure.steps] == list(range(1, len(procedure.steps) + 1))
    assert _calls(sandbox) == 5  # the detail, then steps, documents, fees and channels
    assert (await client.procedure(1001)).value == procedure
    assert _calls(sandbox) == 5


async def test_an_unknown_procedure_is_none_after_one_call(infogoth: Any) -> None:
    client, sandbox = infogoth
    assert (await client.procedure(999_999)).value is None
    assert _calls(sandbox) == 1


async def test_a_firewall_page_is_upstream_blocked(infogoth: Any) -> None:
    client, sandbox = infogoth
    sandbox.state.set_faults("infogoth", {"html_block": True})
    with pytest.raises(UpstreamBlocked) as raised:
        await client.procedure(1001)
    assert isinstance(raised.value, UpstreamError)
    assert raised.value.connector == "infogoth"
