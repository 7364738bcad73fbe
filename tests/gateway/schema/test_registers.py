"""The register checks through the real app and its sandbox agencies: DLA documents, DOPA ID
cards (personal data never in the logs) and LandsMaps parcels placed through the crosswalk."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from sandbox.agencies.dla_documents import documents
from sandbox.agencies.dopa_idcard import birthday_for, laser_for
from sandbox.agencies.landsmaps import parcel_for
from sandbox.server import Sandbox
from tests.gateway.connectors.test_dopa_idcard import card_on_file


async def ask(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def sandbox_of(app: Starlette) -> Sandbox:
    found: Sandbox = app.state.resources.agencies.sandbox
    return found


VERIFY = """query ($number: String!, $date: Date!) {
  verifyOfficialDocument(number: $number, date: $date) {
    found source stale asOf document { number date topic issuingOffice fileUrl }
  }
}"""


async def test_verify_official_document(client: httpx.AsyncClient, gateway_app: Starlette) -> None:
    wanted = documents(sandbox_of(gateway_app).data)[3]
    found = await ask(client, VERIFY, number=wanted.number, date=wanted.date.isoformat())
    check = found["data"]["verifyOfficialDocument"]
    assert check["found"] is True
    assert check["source"] == "dla_documents"
    assert check["document"]["number"] == wanted.number
    assert check["document"]["date"] == wanted.date.isoformat()
    assert check["document"]["issuingOffice"] == wanted.org
    missing = await ask(client, VERIFY, number=wanted.number, date="2020-01-01")
    assert missing["data"]["verifyOfficialDocument"]["found"] is False
    assert missing["data"]["verifyOfficialDocument"]["document"] is None
    empty = await ask(client, VERIFY, number="  ", date="2020-01-01")
    assert empty["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


CHECK = """query ($pid: String!, $first: String!, $last: String!, $born: String!, $laser: String!) {
  checkIdCard(pid: $pid, firstName: $first, lastName: $last, birthDate: $born, laser: $laser) {
    status code description source checkedAt
  }
}"""


def be_to_gregorian(be: str) -> str:
    return f"{int(be[:4]) - 543:04d}-{be[4:6]}-{be[6:]}"


async def test_check_id_card_never_logs_personal_data(
    partner_client: httpx.AsyncClient, gateway_app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = sandbox_of(gateway_app)
    pid = card_on_file(sandbox)
    laser, born = laser_for(sandbox.data, pid), birthday_for(sandbox.data, pid)
    person = {"first": "สมชายทดสอบ", "last": "ใจดีทดสอบ", "laser": laser}
    caplog.set_level(logging.DEBUG)
    normal = await ask(partner_client, CHECK, pid=pid, born=be_to_gregorian(born), **person)
    assert normal["data"]["checkIdCard"]["status"] == "NORMAL"
    assert normal["data"]["checkIdCard"]["code"] == 0
    other = await ask(partner_client, CHECK, pid=pid, born="1901-01-01", **person)
    assert other["data"]["checkIdCard"]["status"] == "NOT_NORMAL"
    bad_pid = pid[:12] + str((int(pid[12]) + 1) % 10)
    refused = await ask(partner_client, CHECK, pid=bad_pid, born="1990-01-01", **person)
    assert refused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "pid"}
    sandbox.state.set_faults("dopa_idcard", {"status": 500, "error_rate": 1.0})
    try:
        failed = await ask(partner_client, CHECK, pid=pid, born="1990-01-01", **person)
    finally:
        sandbox.state.set_faults("dopa_idcard", {"status": 503, "error_rate": 0.0})
    assert failed["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records  # the requests were logged, so the test can fail
    for secret in (pid, bad_pid, laser, born, person["first"], person["last"]):
        assert secret not in logged
        assert secret not in str(refused) + str(failed)


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"pid": "1101700230708", "born": "1990-02-30"}, "birthDate"),
        ({"pid": "1101700230708", "born": "1990-01-01", "laser": "JT12"}, "laser"),
        ({"pid": "1101700230708", "born": "1990-01-01", "first": " "}, "firstName"),
        ({"pid": "110170023070", "born": "1990-01-01"}, "pid"),
    ],
)
async def test_check_id_card_input(
    partner_client: httpx.AsyncClient, variables: dict[str, str], argument: str
) -> None:
    values = {"first": "ก", "last": "ข", "laser": "JT1234567890", **variables}
    found = await ask(partner_client, CHECK, **values)
    assert found["data"] == {"checkIdCard": None}  # nullable: a denied caller gets null too
    assert found["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}


PARCEL = """query ($p: String!, $d: String!, $deed: String!) {
  landParcel(provinceCode: $p, dolDistrictCode: $d, deedNo: $deed) {
    deedNo area { rai ngan squareWa squareMetres } location { latitude longitude }
    district { code nameTh } subdistrict { code nameTh } subdistrictName source stale
  }
}"""


@pytest.mark.parametrize(
    ("province", "dol", "dopa"), [("10", "ก3", "1038"), ("10", "01", "1001"), ("84", "05", "8405")]
)
async def test_land_parcel_in_the_registry(
    client: httpx.AsyncClient, gateway_app: Starlette, province: str, dol: str, dopa: str
) -> None:
    found = await ask(client, PARCEL, p=province, d=dol, deed="7")
    parcel = found["data"]["landParcel"]
    expected = parcel_for(sandbox_of(gateway_app).data, province, dol, "7")
    assert expected is not None
    assert parcel["district"]["code"] == dopa
    assert parcel["subdistrict"]["nameTh"] == expected["tumbolname"]
    assert parcel["subdistrict"]["code"][:4] == dopa
    area = parcel["area"]
    assert (area["rai"], area["ngan"], area["squareWa"]) == (
        expected["rai"],
        expected["ngan"],
        expected["wa"],
    )
    assert area["squareMetres"] == pytest.approx(
        expected["rai"] * 1600 + expected["ngan"] * 400 + expected["wa"] * 4
    )
    assert parcel["location"]["latitude"] == float(expected["parcellat"])


async def test_land_parcel_not_found_and_bad_input(client: httpx.AsyncClient) -> None:
    assert (await ask(client, PARCEL, p="84", d="05", deed="46"))["data"]["landParcel"] is None
    for (p, d, deed), code in (
        (("8", "05", "1"), "BAD_AREA_CODE"),
        (("84", "5/", "1"), "BAD_USER_INPUT"),
        (("84", "05", "12a"), "BAD_USER_INPUT"),
    ):
        found = await ask(client, PARCEL, p=p, d=d, deed=deed)
        assert found["errors"][0]["extensions"]["code"] == code


async def test_land_parcel_firewall_is_a_partial_error(
    client: httpx.AsyncClient, gateway_app: Starlette
) -> None:
    sandbox = sandbox_of(gateway_app)
    sandbox.state.set_faults("landsmaps", {"html_block": True})
    try:
        found = await ask(client, PARCEL, p="84", d="05", deed=str(dt.date.today().toordinal()))
    finally:
        sandbox.state.set_faults("landsmaps", {"html_block": False})
    assert found["data"] == {"landParcel": None}
    assert found["errors"][0]["extensions"]["code"] == "UPSTREAM_BLOCKED"
    assert found["errors"][0]["extensions"]["connector"] == "landsmaps"
