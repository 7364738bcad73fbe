"""DOPA ID-card status sandbox: SOAP 1.2 envelopes, codes 0 / 4 / 5, faults, nothing logged."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import dopa_idcard
from sandbox.agencies.dopa_idcard import birthday_for, check_digit, has_card, laser_for
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
TEMPURI = "http://tempuri.org/"
RESULT = (
    f"{{{SOAP12}}}Body/{{{TEMPURI}}}CheckCardByLaserResponse/{{{TEMPURI}}}CheckCardByLaserResult"
)


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the ID-card sandbox."""
    async with agency_client(dopa_idcard.AGENCY, data) as client:
        yield client


def _valid_pids() -> Iterator[str]:
    for n in range(1_101_700_000_000, 1_101_700_001_000, 7):
        first12 = str(n)[:12]
        yield first12 + check_digit(first12)


def _pid(data: SandboxData, *, on_file: bool) -> str:
    return next(p for p in _valid_pids() if has_card(data, p) is on_file)


def _envelope(fields: dict[str, str], ns: str = SOAP12) -> str:
    inner = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap12:Envelope xmlns:soap12="{ns}">'
        f'<soap12:Body><CheckCardByLaser xmlns="{TEMPURI}">{inner}</CheckCardByLaser>'
        "</soap12:Body></soap12:Envelope>"
    )


def _person(data: SandboxData, pid: str) -> dict[str, str]:
    return {
        "PID": pid,
        "FirstName": "สมชาย",
        "LastName": "ใจดี",
        "BirthDay": birthday_for(data, pid),
        "Laser": laser_for(data, pid),
    }


async def _check(api: TestClient[Any, Any], body: str, path: str = dopa_idcard.PATH) -> Any:
    headers = {"Content-Type": "application/soap+xml; charset=utf-8"}
    response = await api.post(path, data=body.encode(), headers=headers)
    assert response.content_type == "application/soap+xml"
    return response.status, ET.fromstring(await response.read())


def _result(envelope: ET.Element) -> dict[str, str]:
    found = envelope.find(RESULT)
    assert found is not None
    return {child.tag.split("}")[1]: (child.text or "") for child in found}


def test_check_digits_follow_the_thai_id_rule() -> None:
    # 1*13 + 1*12 + 1*10 + 7*9 = 98; 98 % 11 = 10; (11 - 10) % 10 = 1
    assert check_digit("110170000000") == "1"
    # 3*13 + 1*12 + 1*10 = 61; 61 % 11 = 6; 11 - 6 = 5
    assert check_digit("310100000000") == "5"


def test_about_nine_in_ten_valid_pids_have_a_card(data: SandboxData) -> None:
    pids = list(_valid_pids())
    share = sum(has_card(data, p) for p in pids) / len(pids)
    assert 0.8 <= share <= 0.97
    broken = pids[0][:12] + str((int(pids[0][12]) + 1) % 10)
    assert not has_card(data, broken)


async def test_a_matching_card_is_normal(api: TestClient[Any, Any], data: SandboxData) -> None:
    pid = _pid(data, on_file=True)
    status, envelope = await _check(api, _envelope(_person(data, pid)))
    assert status == 200
    assert _result(envelope) == {
        "IsError": "false",
        "ErrorMessage": "",
        "Code": "0",
        "Desc": "สถานะปกติ",
    }


async def test_a_laser_code_with_dashes_still_matches(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    pid = _pid(data, on_file=True)
    person = _person(data, pid)
    laser = person["Laser"]
    person["Laser"] = f"{laser[:3]}-{laser[3:10]}-{laser[10:]}".lower()
    _, envelope = await _check(api, _envelope(person), path=dopa_idcard.PATH.lower())
    assert _result(envelope)["Code"] == "0"


@pytest.mark.parametrize(
    ("change", "desc"),
    [
        ("wrong_laser", "สถานะไม่ปกติ => ไม่พบเลข Laser จาก PID นี้"),
        ("not_on_file", "สถานะไม่ปกติ => ไม่พบเลข Laser จาก PID นี้"),
        ("wrong_birthday", "สถานะไม่ปกติ => ข้อมูลไม่ตรง"),
    ],
)
async def test_cards_that_do_not_match_are_code_4(
    api: TestClient[Any, Any], data: SandboxData, change: str, desc: str
) -> None:
    person = _person(data, _pid(data, on_file=True))
    if change == "wrong_laser":
        person["Laser"] = "XX0000000000"
    elif change == "not_on_file":
        person = _person(data, _pid(data, on_file=False))
    else:
        person["BirthDay"] = "25000101"
    _, envelope = await _check(api, _envelope(person))
    assert _result(envelope) == {"IsError": "true", "ErrorMessage": "", "Code": "4", "Desc": desc}


async def test_a_blank_field_is_code_5(api: TestClient[Any, Any], data: SandboxData) -> None:
    person = _person(data, _pid(data, on_file=True))
    person["LastName"] = " "
    _, envelope = await _check(api, _envelope(person))
    assert _result(envelope)["Code"] == "5"
    del person["Laser"]
    _, envelope = await _check(api, _envelope(person))
    assert _result(envelope)["Desc"] == "ข้อมูลที่ใช้ในการตรวจสอบไม่ครบ"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("<soap12:Envelope xmlns:soap12=", "soap:Sender"),
        (
            _envelope({"PID": "1"}, ns="http://schemas.xmlsoap.org/soap/envelope/"),
            "soap:VersionMismatch",
        ),
        (_envelope({"PID": "1"}).replace("CheckCardByLaser", "CheckCardByCID"), "soap:Sender"),
    ],
)
async def test_a_malformed_envelope_is_a_soap_fault(
    api: TestClient[Any, Any], body: str, code: str
) -> None:
    status, envelope = await _check(api, body)
    assert status == 500
    assert (
        envelope.findtext(f"{{{SOAP12}}}Body/{{{SOAP12}}}Fault/{{{SOAP12}}}Code/{{{SOAP12}}}Value")
        == code
    )


async def test_personal_data_never_reaches_the_request_log(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    await api.delete("/__admin/requests/dopa_idcard")
    pid = _pid(data, on_file=True)
    await _check(api, _envelope(_person(data, pid)))
    log = await (await api.get("/__admin/requests/dopa_idcard")).text()
    assert '"count": 1' in log
    assert pid not in log
    assert laser_for(data, pid) not in log


async def test_admin_faults_apply(api: TestClient[Any, Any], data: SandboxData) -> None:
    body = _envelope(_person(data, _pid(data, on_file=True))).encode()
    await api.put("/__admin/faults/dopa_idcard", json={"html_block": True})
    blocked = await api.post(dopa_idcard.PATH, data=body)
    assert "Request Rejected" in await blocked.text()
    await api.put("/__admin/faults/dopa_idcard", json={"html_block": False, "down": True})
    assert (await api.post(dopa_idcard.PATH, data=body)).status == 503
    await api.delete("/__admin/faults/dopa_idcard")
    assert (await api.post(dopa_idcard.PATH, data=body)).status == 200
