"""LandsMaps connector: Thai area units, parcel mapping, and every failure shape of the agency:
the firewall page, an expired token (refreshed once), a token refused twice, an empty result."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from starlette.applications import Starlette

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.connectors.landsmaps import (
    LandsMapsClient,
    ParcelArea,
    map_parcel,
    map_result,
    map_token,
    square_metres,
)
from gateway.errors import UpstreamAuthFailed, UpstreamBlocked
from sandbox.agencies.landsmaps import parcel_for
from sandbox.server import Sandbox

TOKEN_PATH = "/apiService/JWT/GetJWTAccessToken"


@pytest.mark.parametrize(
    ("rai", "ngan", "wa", "metres"),
    [
        (1, 0, 0.0, 1600.0),
        (0, 1, 0.0, 400.0),
        (0, 0, 1.0, 4.0),
        (2, 3, 45.5, 2 * 1600 + 3 * 400 + 182.0),
        (0, 0, 0.0, 0.0),
    ],
)
def test_thai_units_in_square_metres(rai: int, ngan: int, wa: float, metres: float) -> None:
    assert square_metres(rai, ngan, wa) == metres
    assert ParcelArea(rai, ngan, wa).square_metres == metres


ROW = {
    "parcelno": "123", "surveyno": "45", "landno": "6", "parcel_type": "โฉนดที่ดิน",
    "utm": "5036 II 1234-05", "rai": "3", "ngan": 2, "wa": "12.5", "landprice": "1,500",
    "tumbolname": "ท่าข้าม", "amphurname": "พุนพิน", "provname": "สุราษฎร์ธานี",
    "parcellat": "9.123456", "parcellon": "99.123456",
}  # fmt: skip


def test_map_parcel_reads_strings_as_numbers() -> None:
    parcel = map_parcel(ROW)
    assert parcel.area == ParcelArea(3, 2, 12.5)
    assert parcel.area.square_metres == 3 * 1600 + 2 * 400 + 50.0
    assert (parcel.latitude, parcel.longitude) == (9.123456, 99.123456)
    assert parcel.land_price_per_square_wa == 1500.0
    assert (parcel.deed_no, parcel.subdistrict_name) == ("123", "ท่าข้าม")


@pytest.mark.parametrize(
    ("payload", "found"),
    [
        ({"result": []}, False),
        ({"result": [ROW]}, True),
        ({"result": [{**ROW, "parcellat": None, "parcellon": ""}]}, True),
    ],
)
def test_map_result(payload: dict[str, Any], found: bool) -> None:
    assert (map_result(payload) is not None) is found


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"result": None},
        {"result": {"parcelno": "1"}},
        {"result": [{**ROW, "ngan": 4}]},
        {"result": [{**ROW, "wa": "100"}]},
        {"result": [{**ROW, "parcellat": "north"}]},
        {"result": [{**ROW, "parcellat": "91"}]},
        {"result": [{**ROW, "parcelno": ""}]},
    ],
)
def test_map_result_refuses_other_shapes(payload: dict[str, Any]) -> None:
    with pytest.raises((LookupError, ValueError, TypeError)):
        map_result(payload)


def test_a_token_reads_its_expiry_from_the_jwt() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln"  # {"exp": 1700000000}
    assert map_token({"access_token": jwt}).expires_at == 1_700_000_000
    assert map_token({"access_token": "opaque"}).expires_at is None
    assert "opaque" not in repr(map_token({"access_token": "opaque"}))
    for bad in ({}, {"access_token": ""}, {"access_token": 5}):
        with pytest.raises((LookupError, ValueError)):
            map_token(bad)


class LandsMaps:
    """The app's sandbox LandsMaps: its admin routes and the paths it was asked for."""

    def __init__(self, sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
        self.url = sandbox.urls["landsmaps"]
        self.state = sandbox.state.agency("landsmaps")
        self.data = sandbox.data
        self._session = session

    def paths(self) -> list[str]:
        return [r.path for r in self.state.requests]

    def token_calls(self) -> int:
        return self.paths().count(TOKEN_PATH)

    async def admin(self, path: str, body: dict[str, Any] | None = None) -> None:
        method = "PUT" if body is not None else "POST"
        async with self._session.request(method, self.url + path, json=body) as answer:
            assert answer.status == 200


@pytest.fixture
async def lands(gateway_app: Starlette) -> AsyncIterator[tuple[ConnectorRuntime, LandsMaps]]:
    """A cold runtime on the app's sandbox LandsMaps, the token policy reset afterwards."""
    sandbox: Sandbox = gateway_app.state.resources.agencies.sandbox
    settings = ConnectorSettings("landsmaps", base_url=sandbox.urls["landsmaps"], retries=0)
    async with client_session() as session:
        agency = LandsMaps(sandbox, session)
        agency.state.requests.clear()
        try:
            yield ConnectorRuntime(settings, session, cache=MemoryCache()), agency
        finally:
            reset = {"ttl_seconds": 900, "max_requests": None, "incapsula": False}
            await agency.admin("/__admin/landsmaps/tokens", reset)
            agency.state.requests.clear()


async def test_a_parcel_with_one_token_for_many_calls(lands: Any) -> None:
    runtime, agency = lands
    first = (await LandsMapsClient(runtime, "r-1").parcel("84", "05", "1")).value
    expected = parcel_for(agency.data, "84", "05", "1")
    assert first is not None
    assert expected is not None
    assert first.area == ParcelArea(expected["rai"], expected["ngan"], expected["wa"])
    assert first.latitude == float(expected["parcellat"])
    await LandsMapsClient(runtime, "r-2").parcel("84", "05", "2")  # another request
    await LandsMapsClient(runtime, "r-3").parcel("84", "05", "1")  # cached
    assert agency.token_calls() == 1
    assert len(agency.paths()) == 3


async def test_bangkok_letter_codes_reach_the_agency(lands: Any) -> None:
    runtime, agency = lands
    parcel = (await LandsMapsClient(runtime).parcel("10", "ก3", "5")).value
    assert parcel is not None
    assert parcel.district_name == agency.data.snapshot.areas["1038"].name_th


async def test_an_empty_result_is_none(lands: Any) -> None:
    runtime, _ = lands
    assert (await LandsMapsClient(runtime).parcel("84", "05", "23")).value is None  # cancelled
    assert (await LandsMapsClient(runtime).parcel("10", "38", "5")).value is None  # DOPA code


async def test_an_expired_token_is_refreshed_once(lands: Any) -> None:
    runtime, agency = lands
    await LandsMapsClient(runtime).parcel("84", "05", "1")
    await agency.admin("/__admin/landsmaps/expire-tokens")
    agency.state.requests.clear()
    parcel = (await LandsMapsClient(runtime).parcel("84", "05", "2")).value
    assert parcel is not None
    parcel_path = "/apiService/LandsMaps/GetParcelByParcelNo/84/05/2"
    assert agency.paths() == [parcel_path, TOKEN_PATH, parcel_path]  # 401, token, again
    await LandsMapsClient(runtime).parcel("84", "05", "3")
    assert agency.token_calls() == 1  # the new token is kept for the next request


async def test_a_token_refused_twice_is_auth_failed(lands: Any) -> None:
    runtime, agency = lands
    await agency.admin("/__admin/landsmaps/tokens", {"max_requests": 0})
    with pytest.raises(UpstreamAuthFailed):
        await LandsMapsClient(runtime).parcel("84", "05", "1")
    assert agency.token_calls() == 2  # the first token, and one refresh: no loop


async def test_the_firewall_page_is_upstream_blocked(lands: Any) -> None:
    runtime, agency = lands
    await agency.admin("/__admin/landsmaps/tokens", {"incapsula": True})
    with pytest.raises(UpstreamBlocked):
        await LandsMapsClient(runtime).parcel("84", "05", "1")
