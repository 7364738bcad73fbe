"""Log lines carry the request id of the request they were logged in, and no personal data."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from gateway.http.front_door import FrontDoor
from gateway.telemetry.logs import TEXT_FORMAT, JsonFormatter, RequestContext

log = logging.getLogger("gateway.test_logs")


async def _logs_twice(_request: Request) -> PlainTextResponse:
    log.info("first")
    log.warning("second")
    return PlainTextResponse("ok")


APP = Starlette(routes=[Route("/", _logs_twice)], middleware=[Middleware(FrontDoor)])


def _capture(formatter: logging.Formatter) -> Iterator[io.StringIO]:
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.addFilter(RequestContext())
    handler.setFormatter(formatter)
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    yield written
    log.removeHandler(handler)


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    yield from _capture(JsonFormatter())


@pytest.fixture
def text_lines() -> Iterator[io.StringIO]:
    yield from _capture(logging.Formatter(TEXT_FORMAT))


async def _get(request_id: str) -> None:
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.get("/", headers={"X-Request-Id": request_id})
        assert response.headers["X-Request-Id"] == request_id


async def test_json_lines_logged_during_a_request_carry_its_id(json_lines: io.StringIO) -> None:
    await _get("req-1")
    await _get("req-2")
    log.info("outside any request")
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    assert [(line["message"], line["request_id"]) for line in lines] == [
        ("first", "req-1"),
        ("second", "req-1"),
        ("first", "req-2"),
        ("second", "req-2"),
        ("outside any request", "-"),
    ]
    assert {line["level"] for line in lines} == {"INFO", "WARNING"}
    assert all(line["logger"] == "gateway.test_logs" for line in lines)


async def test_text_lines_stay_readable_with_the_id(text_lines: io.StringIO) -> None:
    await _get("req-3")
    first = text_lines.getvalue().splitlines()[0]
    assert first.endswith("INFO gateway.test_logs [req-3]: first")


def test_access_lines_lose_the_query_string_and_the_client_address() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("203.0.113.9:5123", "GET", "/graphql?query=%7B+checkIdCard", "1.1", 200), None,
    )  # fmt: skip
    assert RequestContext().filter(record)
    assert record.getMessage() == '- - "GET /graphql HTTP/1.1" 200'
