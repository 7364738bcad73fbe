"""DOPA ID-card connector: PID check digits, Buddhist-era birth dates, SOAP results and faults."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from starlette.applications import Starlette

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.connectors.dopa_idcard import (
    CardCheck,
    CardStatus,
    CheckCardRequest,
    DopaIdCardClient,
    be_birth_date,
    map_result,
    pid_is_valid,
    request_envelope,
)
from gateway.errors import UpstreamBadResponse, UpstreamError, UpstreamUnavailable
from sandbox.agencies.dopa_idcard import birthday_for, has_card, laser_for
from sandbox.server import Sandbox
from tests.gateway.connectors.fakes import FakeUpstream, Handler

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
VALID_PID = "1101700230708"  # 12 digits and their check digit


@pytest.mark.parametrize(
    ("pid", "valid"),
    [
        (VALID_PID, True),
        ("3100600000005", True),
        ("3100600000006", False),  # check digit wrong
        ("1234567890121", True),
        ("1234567890122", False),
        ("0000000000001", True),  # check digit 1: (11 - 0) % 10
        ("110170023070", False),  # 12 digits
        ("11017002307088", False),  # 14 digits
        ("110170023070x", False),
        ("๑๑๐๑๗๐๐๒๓๐๗๐๘", False),  # Thai digits are not accepted as is
        ("", False),
    ],
)
def test_pid_check_digit(pid: str, valid: bool) -> None:
    assert pid_is_valid(pid) is valid


@pytest.mark.parametrize(
    ("gregorian", "buddhist_era"),
    [
        ("1990-01-31", "25330131"),
        ("2000-02-29", "25430229"),
        ("1957-12-01", "25001201"),
        ("1980-00-00", "25230000"),  # only the year known
        ("1980-05-00", "25230500"),  # year and month known
        (" 2024-10-01 ", "25671001"),
    ],
)
def test_birth_dates_in_the_buddhist_era(gregorian: str, buddhist_era: str) -> None:
    assert be_birth_date(gregorian) == buddhist_era


@pytest.mark.parametrize(
    "gregorian",
    ["1990-02-30", "1990-13-01", "1990-00-05", "19900131", "31/01/1990", "2533-01-31x", ""],
)
def test_birth_dates_refused(gregorian: str) -> None:
    with pytest.raises(ValueError, match=r"birth date|range|month must be"):
        be_birth_date(gregorian)


def _result(code: str, desc: str = "d") -> ElementTree.Element:
    return ElementTree.fromstring(
        f'<soap:Envelope xmlns:soap="{SOAP12}"><soap:Body>'
        '<CheckCardByLaserResponse xmlns="http://tempuri.org/"><CheckCardByLaserResult>'
        f"<IsError>false</IsError><ErrorMessage/><Code>{code}</Code><Desc>{desc}</Desc>"
        "</CheckCardByLaserResult></CheckCardByLaserResponse></soap:Body></soap:Envelope>"
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [("0", CardStatus.NORMAL), ("4", CardStatus.NOT_NORMAL), (" 5 ", CardStatus.INCOMPLETE)],
)
def test_codes_0_4_5(code: str, status: CardStatus) -> None:
    assert map_result(_result(code, "สถานะ")) == CardCheck(status, int(code), "สถานะ")


@pytest.mark.parametrize("code", ["1", "", "x"])
def test_other_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match=r"CardStatus|invalid literal"):
        map_result(_result(code))


def test_the_envelope_escapes_what_it_carries() -> None:
    request = CheckCardRequest(VALID_PID, "<ก&ข>", "ค", "25330131", "JT1234567890")
    envelope = ElementTree.fromstring(request_envelope(request))
    found = envelope.find(f"{{{SOAP12}}}Body/{{http://tempuri.org/}}CheckCardByLaser")
    assert found is not None
    assert found.findtext("{http://tempuri.org/}FirstName") == "<ก&ข>"
    assert VALID_PID not in repr(request)
    assert "ค" not in str(request)


def _fault(value: str) -> str:
    return (
        f'<soap:Envelope xmlns:soap="{SOAP12}"><soap:Body><soap:Fault><soap:Code>'
        f"<soap:Value>soap:{value}</soap:Value></soap:Code><soap:Reason>"
        f'<soap:Text xml:lang="en">Server was unable to read {VALID_PID}</soap:Text>'
        "</soap:Reason></soap:Fault></soap:Body></soap:Envelope>"
    )


@pytest.mark.parametrize(
    ("status", "body", "content_type", "error"),
    [
        (500, _fault("Sender"), "application/soap+xml", UpstreamBadResponse),
        (500, _fault("VersionMismatch"), "application/soap+xml", UpstreamBadResponse),
        (500, _fault("Receiver"), "application/soap+xml", UpstreamUnavailable),
        (500, "Internal Server Error", "text/plain", UpstreamUnavailable),
        (503, "Service Unavailable", "text/plain", UpstreamUnavailable),
        (200, "<html><body>Request Rejected</body></html>", "text/html", UpstreamError),
        (200, "<soap:Envelope", "application/soap+xml", UpstreamBadResponse),
    ],
)
async def test_soap_faults_and_failures(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    status: int,
    body: str,
    content_type: str,
    error: type[UpstreamError],
) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.Response(status=status, text=body, content_type=content_type)

    fake = await upstream(answer)
    client = DopaIdCardClient(runtime_factory(fake.url, retries=0))
    request = CheckCardRequest(VALID_PID, "ก", "ข", "25330131", "JT1234567890")
    with pytest.raises(error) as caught:
        await client.check(request)
    assert VALID_PID not in caught.value.message  # the fault's reason is not repeated


@pytest.fixture
async def idcard(gateway_app: Starlette) -> AsyncIterator[tuple[DopaIdCardClient, Sandbox]]:
    """A client on the app's sandbox DOPA."""
    sandbox: Sandbox = gateway_app.state.resources.agencies.sandbox
    settings = ConnectorSettings("dopa_idcard", base_url=sandbox.urls["dopa_idcard"], retries=0)
    async with client_session() as session:
        runtime = ConnectorRuntime(settings, session, cache=MemoryCache())
        yield DopaIdCardClient(runtime), sandbox


def card_on_file(sandbox: Sandbox) -> str:
    """A PID the sandbox holds a card for."""
    for n in range(110170023070, 110170023170):
        pid = f"{n}{(11 - sum(int(d) * (13 - i) for i, d in enumerate(str(n))) % 11) % 10}"
        if has_card(sandbox.data, pid):
            return pid
    raise AssertionError("no card on file")


async def test_the_sandbox_answers_0_4_and_5(idcard: Any) -> None:
    client, sandbox = idcard
    pid = card_on_file(sandbox)
    laser, born = laser_for(sandbox.data, pid), birthday_for(sandbox.data, pid)
    normal = await client.check(CheckCardRequest(pid, "ก", "ข", born, laser))
    assert normal.value.status is CardStatus.NORMAL
    mismatch = await client.check(CheckCardRequest(pid, "ก", "ข", "25000101", laser))
    assert (mismatch.value.status, mismatch.value.code) == (CardStatus.NOT_NORMAL, 4)
    blank = await client.check(CheckCardRequest(pid, " ", "ข", born, laser))
    assert (blank.value.status, blank.value.code) == (CardStatus.INCOMPLETE, 5)
