"""Every failure shape an agency has shown, against a fake agency on a local port.

Each row: what the agency does, what the caller gets (an error class or a value), and how many
requests reached the agency (retries only for idempotent reads).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from aiohttp import web

from gateway.connectors import ConnectorRuntime, UpstreamRequest, UpstreamResponse
from gateway.errors import (
    UpstreamAuthFailed,
    UpstreamBadResponse,
    UpstreamBlocked,
    UpstreamError,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from tests.gateway.connectors.fakes import FakeSleep, FakeUpstream, Handler

REJECTED = (
    "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
    "Please consult with your administrator.<br>Your support ID is: 1234567890</body></html>"
)
INCAPSULA = (
    '<html><head><META NAME="robots" CONTENT="noindex,nofollow">'
    '<script src="/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3"></script>'
    "</head><body></body></html>"
)


def answer(
    body: bytes | str = b"",
    status: int = 200,
    content_type: str = "application/json",
    **headers: str,
) -> Handler:
    """An agency that always gives this answer."""
    raw = body.encode() if isinstance(body, str) else body

    async def handle(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=raw, status=status, headers={"Content-Type": content_type, **headers}
        )

    return handle


async def slow(request: web.Request) -> web.StreamResponse:
    await asyncio.sleep(0.2)
    return web.json_response({"late": True})


async def dropped(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(
        headers={"Content-Type": "application/json", "Content-Length": "200"}
    )
    await response.prepare(request)
    await response.write(b'{"population": [1, 2,')
    assert request.transport is not None
    request.transport.close()  # the rest of the promised 200 bytes never comes
    return response


async def token_checked(request: web.Request) -> web.StreamResponse:
    if request.headers.get("Authorization") != "Bearer fresh":
        return web.Response(status=401, text="token expired")
    return web.json_response({"parcelno": "1234"})


def read_json(response: UpstreamResponse) -> Any:
    return response.json()


def read_text(response: UpstreamResponse) -> Any:
    return response.text()


def read_missing_field(response: UpstreamResponse) -> Any:
    return response.json()["lsAge0"]


def read_or_none(response: UpstreamResponse) -> Any:
    return None if response.status == 404 else response.json()


@dataclass(frozen=True)
class Case:
    """One failure shape."""

    id: str
    handler: Handler
    error: type[UpstreamError] | None
    calls: int
    value: Any = None
    request: UpstreamRequest = field(default_factory=lambda: UpstreamRequest(path="/data"))
    parse: Callable[[UpstreamResponse], Any] = read_json
    renews: bool = False
    waits: list[float] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)


POST = UpstreamRequest(method="POST", path="/complaints", json={"subject": "น้ำไม่ไหล"})
FAST = {"timeout_seconds": 0.05}
CASES = [
    Case("slow answer, GET retried", slow, UpstreamTimeout, 3, waits=[0.1, 0.2], settings=FAST),
    Case("slow answer, POST not retried", slow, UpstreamTimeout, 1, request=POST, settings=FAST),
    Case("dropped mid-response", dropped, UpstreamUnavailable, 3, waits=[0.1, 0.2]),
    Case(
        "500, GET retried",
        answer("oops", 500, "text/plain"),
        UpstreamUnavailable,
        3,
        waits=[0.1, 0.2],
    ),
    Case(
        "500, POST not retried",
        answer("oops", 500, "text/plain"),
        UpstreamUnavailable,
        1,
        request=POST,
    ),
    Case(
        "500, POST marked idempotent retried",
        answer("oops", 500, "text/plain"),
        UpstreamUnavailable,
        3,
        request=replace(POST, idempotent=True),
        waits=[0.1, 0.2],
    ),
    Case(
        "503 Retry-After",
        answer("busy", 503, "text/plain", **{"Retry-After": "3"}),
        UpstreamUnavailable,
        3,
        waits=[3.0, 3.0],
    ),
    Case(
        "429 Retry-After",
        answer("slow down", 429, "text/plain", **{"Retry-After": "2"}),
        UpstreamRateLimited,
        3,
        waits=[2.0, 2.0],
    ),
    Case(
        "429 Retry-After past the cap",
        answer("", 429, **{"Retry-After": "120"}),
        UpstreamRateLimited,
        1,
    ),
    Case(
        "401 then success after one refresh",
        token_checked,
        None,
        2,
        value={"parcelno": "1234"},
        renews=True,
    ),
    Case("401 twice", answer("expired", 401, "text/plain"), UpstreamAuthFailed, 2, renews=True),
    Case("401 with no way to refresh", answer("expired", 401, "text/plain"), UpstreamAuthFailed, 1),
    Case(
        "403 is not refreshed",
        answer("forbidden", 403, "text/plain"),
        UpstreamAuthFailed,
        1,
        renews=True,
    ),
    Case("Request Rejected page with 200", answer(REJECTED, 200, "text/html"), UpstreamBlocked, 1),
    Case("_Incapsula page", answer(INCAPSULA, 200, "text/html"), UpstreamBlocked, 1),
    Case(
        "Request Rejected where text was expected",
        answer(REJECTED, 200, "text/html"),
        UpstreamBlocked,
        1,
        request=UpstreamRequest(expect="text"),
        parse=read_text,
    ),
    Case(
        "_Incapsula page where text was expected",
        answer(INCAPSULA, 200, "text/html"),
        UpstreamBlocked,
        1,
        request=UpstreamRequest(expect="text"),
        parse=read_text,
    ),
    Case(
        "an ordinary page where text was expected is read",
        answer("<html><body>ประกาศ</body></html>", 200, "text/html; charset=utf-8"),
        None,
        1,
        value="<html><body>ประกาศ</body></html>",
        request=UpstreamRequest(expect="text"),
        parse=read_text,
    ),
    Case(
        "HTML page where JSON was expected",
        answer("<!DOCTYPE html><html><body>Portal</body></html>", 200, "text/plain"),
        UpstreamBlocked,
        1,
    ),
    Case("invalid JSON", answer('{"result": [', 200), UpstreamBadResponse, 1),
    Case("wrong content type", answer(b"\x89PNG\r\n", 200, "image/png"), UpstreamBadResponse, 1),
    Case("invalid UTF-8", answer(b'{"name": "\xe0\xb8"}', 200), UpstreamBadResponse, 1),
    Case("404 not expected", answer("{}", 404), UpstreamBadResponse, 1),
    Case(
        "404 expected is read",
        answer("{}", 404),
        None,
        1,
        request=UpstreamRequest(handled_statuses=frozenset({404})),
        parse=read_or_none,
    ),
    Case(
        "answer longer than max_body_bytes",
        answer("[" + "1," * 500 + "1]", 200),
        UpstreamBadResponse,
        1,
        settings={"max_body_bytes": 100},
    ),
    Case(
        "mapping failure",
        answer('[{"lsageSex": 1}]', 200),
        UpstreamBadResponse,
        1,
        parse=read_missing_field,
    ),
    Case(
        "UTF-8 BOM JSON",
        answer('\ufeff{"name": "กรุงเทพมหานคร"}'.encode(), 200),
        None,
        1,
        value={"name": "กรุงเทพมหานคร"},
    ),
    Case(
        "TIS-620 text",
        answer("เชียงใหม่,50".encode("tis-620"), 200, "text/csv; charset=TIS-620"),
        None,
        1,
        value="เชียงใหม่,50",
        request=UpstreamRequest(expect="text"),
        parse=read_text,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_failure_shape(
    case: Case,
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
    sleep: FakeSleep,
) -> None:
    fake = await upstream(case.handler)
    runtime = runtime_factory(fake.url, retry_after_max_seconds=30, **case.settings)
    renewals: list[UpstreamRequest] = []

    async def renew(request: UpstreamRequest) -> UpstreamRequest:
        renewals.append(request)
        return replace(request, headers={"Authorization": "Bearer fresh"})

    hook = renew if case.renews else None
    if case.error is None:
        fetched = await runtime.fetch(case.request, parse=case.parse, on_unauthorized=hook)
        assert fetched.value == case.value
    else:
        with pytest.raises(case.error) as caught:
            await runtime.fetch(case.request, parse=case.parse, on_unauthorized=hook)
        assert type(caught.value) is case.error
        assert caught.value.connector == "agency"
        assert caught.value.as_extensions()["code"] == case.error.code
        assert caught.value.as_extensions()["retryable"] is case.error.retryable
    assert fake.calls == case.calls
    assert sleep.delays == case.waits
    assert len(renewals) == (1 if case.renews and fake.calls > 1 else 0)


async def test_refused_connection_is_unavailable_and_retried(
    runtime_factory: Callable[..., ConnectorRuntime], sleep: FakeSleep
) -> None:
    with socket.socket() as probe:  # a port nobody listens on once this socket closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    runtime = runtime_factory(f"http://127.0.0.1:{port}/")
    with pytest.raises(UpstreamUnavailable) as caught:
        await runtime.fetch(UpstreamRequest(path="/data"), parse=read_json)
    assert caught.value.retryable
    assert caught.value.connector == "agency"
    assert runtime.metrics.calls["unavailable"] == 3
    assert sleep.delays == [0.1, 0.2]


async def test_error_carries_retry_after_for_the_client(
    upstream: Callable[[Handler], Awaitable[FakeUpstream]],
    runtime_factory: Callable[..., ConnectorRuntime],
) -> None:
    fake = await upstream(answer("", 429, **{"Retry-After": "120"}))
    runtime = runtime_factory(fake.url, retry_after_max_seconds=30)
    with pytest.raises(UpstreamRateLimited) as caught:
        await runtime.fetch(UpstreamRequest(), parse=read_json)
    assert caught.value.as_extensions() == {
        "code": "UPSTREAM_RATE_LIMITED",
        "connector": "agency",
        "retryable": True,
        "retryAfter": 120,
    }
