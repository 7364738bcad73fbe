"""LandsMaps sandbox: tokens and their expiry, parcels by deed, Bangkok's own district codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import landsmaps
from sandbox.agencies.landsmaps import BANGKOK_DOL_CODES, dol_district_code, parcel_for
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults

TOKEN = "/apiService/JWT/GetJWTAccessToken"
PARCEL = "/apiService/LandsMaps/GetParcelByParcelNo"
FIELDS = {
    "parcelno", "surveyno", "landno", "parcel_type", "utm", "utm1", "utm2", "utm3", "rai",
    "ngan", "wa", "landprice", "tumbolname", "amphurname", "provname", "parcellat", "parcellon",
}  # fmt: skip


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A fresh LandsMaps app per test: token settings never leak between tests."""
    async with agency_client(landsmaps.AGENCY, data) as client:
        yield client


async def _token(api: TestClient[Any, Any]) -> str:
    response = await api.get(TOKEN)
    assert response.status == 200
    body = await response.json()
    assert set(body) == {"access_token"}
    assert body["access_token"].count(".") == 2  # a JWT: header.claims.signature
    return str(body["access_token"])


async def _parcel(api: TestClient[Any, Any], token: str | None, path: str) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await api.get(f"{PARCEL}/{path}", headers=headers)


async def test_a_deed_answers_one_parcel_with_every_field(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    response = await _parcel(api, await _token(api), "84/05/1")
    assert response.status == 200
    (parcel,) = (await response.json())["result"]
    assert set(parcel) == FIELDS
    assert parcel == parcel_for(data, "84", "05", "1")
    assert (parcel["parcelno"], parcel["provname"], parcel["amphurname"]) == (
        "1",
        "สุราษฎร์ธานี",
        "เกาะพะงัน",
    )
    assert parcel["tumbolname"] in {a.name_th for a in data.snapshot.children("8405")}
    assert all(isinstance(parcel[k], int) for k in ("rai", "ngan", "landprice"))
    assert isinstance(parcel["wa"], float)
    assert 0 <= parcel["wa"] < 100
    assert 9.0 < float(parcel["parcellat"]) < 10.5
    assert 99.5 < float(parcel["parcellon"]) < 100.5
    assert parcel["utm"] == f"{parcel['utm1']} {parcel['utm2']} {parcel['utm3']}"


@pytest.mark.parametrize("deed", ["23", "0001", "abc", "999999"])
async def test_a_deed_that_does_not_exist_is_an_empty_result(
    api: TestClient[Any, Any], deed: str
) -> None:
    response = await _parcel(api, await _token(api), f"84/05/{deed}")
    assert response.status == 200
    assert await response.json() == {"result": []}


def test_the_bangkok_table_covers_all_50_districts_with_some_letter_codes(
    data: SandboxData,
) -> None:
    districts = {a.code for a in data.snapshot.children("10")}
    assert set(BANGKOK_DOL_CODES) == districts
    assert len(set(BANGKOK_DOL_CODES.values())) == 50
    assert {"ก1", "ช1", "ต4"} <= set(BANGKOK_DOL_CODES.values())
    assert sum(not c.isdigit() for c in BANGKOK_DOL_CODES.values()) == 13
    assert dol_district_code("1001") == "01"
    assert dol_district_code("1050") == "ต4"
    assert dol_district_code("8405") == "05"


async def test_bangkok_parcels_use_dol_codes_not_dopa_numbers(api: TestClient[Any, Any]) -> None:
    token = await _token(api)
    found = await (await _parcel(api, token, f"10/{quote('ต4')}/1")).json()
    assert found["result"][0]["amphurname"] == "เขตบางบอน"
    assert await (await _parcel(api, token, "10/50/1")).json() == {"result": []}
    old = await (await _parcel(api, token, "10/01/1")).json()
    assert old["result"][0]["amphurname"] == "เขตพระนคร"


async def test_a_missing_or_unknown_token_is_401(api: TestClient[Any, Any]) -> None:
    for token in (None, "not-a-token"):
        response = await _parcel(api, token, "84/05/1")
        assert response.status == 401
        assert await response.json() == {
            "Message": "Authorization has been denied for this request."
        }


async def test_expired_tokens_are_401_until_a_new_one_is_fetched(
    api: TestClient[Any, Any],
) -> None:
    token = await _token(api)
    assert (await _parcel(api, token, "84/05/1")).status == 200
    assert (await api.post("/__admin/landsmaps/expire-tokens")).status == 200
    assert (await _parcel(api, token, "84/05/1")).status == 401
    assert (await _parcel(api, await _token(api), "84/05/1")).status == 200


async def test_tokens_expire_after_their_lifetime_or_request_budget(
    api: TestClient[Any, Any],
) -> None:
    await api.put("/__admin/landsmaps/tokens", json={"ttl_seconds": 0})
    assert (await _parcel(api, await _token(api), "84/05/1")).status == 401
    await api.put("/__admin/landsmaps/tokens", json={"ttl_seconds": 600, "max_requests": 2})
    token = await _token(api)
    statuses = [(await _parcel(api, token, "84/05/1")).status for _ in range(3)]
    assert statuses == [200, 200, 401]
    bad = await api.put("/__admin/landsmaps/tokens", json={"lifetime": 5})
    assert bad.status == 400


async def test_the_firewall_challenge_is_an_incapsula_page(api: TestClient[Any, Any]) -> None:
    token = await _token(api)
    await api.put("/__admin/landsmaps/tokens", json={"incapsula": True})
    response = await _parcel(api, token, "84/05/1")
    assert response.status == 200
    assert response.content_type == "text/html"
    assert "_Incapsula" in await response.text()


async def test_answers_are_deterministic(api: TestClient[Any, Any], data: SandboxData) -> None:
    token = await _token(api)
    first = await (await _parcel(api, token, "50/01/1234")).json()
    assert first == await (await _parcel(api, token, "50/01/1234")).json()
    assert first["result"] == [parcel_for(SandboxData(data.snapshot), "50", "01", "1234")]


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "landsmaps", TOKEN)
