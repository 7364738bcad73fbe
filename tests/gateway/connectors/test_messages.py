"""Reading agency bodies: charsets, byte-order marks, content types; and the exception map."""

from __future__ import annotations

import email.utils

import aiohttp
import pytest

from gateway.connectors import UpstreamRequest, UpstreamResponse
from gateway.connectors.errors import parse_retry_after, upstream_errors
from gateway.errors import UpstreamBadResponse, UpstreamError, UpstreamTimeout, UpstreamUnavailable


def response(body: bytes, content_type: str = "application/json") -> UpstreamResponse:
    return UpstreamResponse.build("dopa", 200, body, {"Content-Type": content_type})


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        ("นนทบุรี".encode(), "text/plain", "นนทบุรี"),
        ("\ufeffนนทบุรี".encode(), "text/plain; charset=utf-8", "นนทบุรี"),
        ("\ufeffนนทบุรี".encode(), "text/plain; charset=tis-620", "นนทบุรี"),  # the BOM wins
        ("นนทบุรี".encode("tis-620"), "text/plain; charset=TIS-620", "นนทบุรี"),
        ("นนทบุรี".encode("cp874"), 'text/plain; charset="windows-874"', "นนทบุรี"),
        ("นนทบุรี".encode("tis-620"), "text/plain; charset=ISO-8859-11", "นนทบุรี"),
        ("€ นนทบุรี".encode("cp874"), "text/plain; charset=tis-620", "€ นนทบุรี"),
    ],
)
def test_text_honours_charset_and_bom(body: bytes, content_type: str, text: str) -> None:
    assert response(body, content_type).text() == text


def test_text_with_a_known_encoding_overrides_a_missing_charset() -> None:
    assert response("ลำพูน".encode("tis-620"), "text/csv").text(encoding="tis-620") == "ลำพูน"


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        ("ลำพูน".encode("tis-620"), "application/json", "not valid utf-8"),
        (b"{}", "application/json; charset=klingon", "unknown charset 'klingon'"),
        (b"{}", "text/plain", "answered text/plain where JSON was expected"),
        (b"[1,", "application/json", "JSON we cannot parse"),
    ],
)
def test_unreadable_bodies_are_bad_responses(body: bytes, content_type: str, problem: str) -> None:
    with pytest.raises(UpstreamBadResponse, match=problem) as caught:
        response(body, content_type).json()
    assert caught.value.connector == "dopa"


def test_json_accepts_json_types_and_loose_mode() -> None:
    assert response(b'{"a": 1}', "application/problem+json").json() == {"a": 1}
    assert response(b'{"a": 1}', "").json() == {"a": 1}
    assert response(b'{"a": 1}', "text/html; charset=UTF-8").json(loose=True) == {"a": 1}


def test_xml_is_read_and_entities_are_refused() -> None:
    cap = b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><status>Actual</status></alert>'
    root = response(cap, "application/cap+xml").xml()
    assert root.findtext("{urn:oasis:names:tc:emergency:cap:1.2}status") == "Actual"
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(UpstreamBadResponse, match="declaring entities"):
        response(bomb, "text/xml").xml()
    with pytest.raises(UpstreamBadResponse, match="XML we cannot parse"):
        response(b"<x>", "text/xml").xml()


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (TimeoutError(), UpstreamTimeout),
        (aiohttp.ServerTimeoutError("read"), UpstreamTimeout),
        (aiohttp.ServerDisconnectedError(), UpstreamUnavailable),
        (aiohttp.ClientConnectionResetError("reset"), UpstreamUnavailable),
        (aiohttp.ClientPayloadError("truncated"), UpstreamUnavailable),
        (aiohttp.InvalidURL("::"), UpstreamUnavailable),
    ],
)
def test_lower_layer_exceptions_become_gateway_errors(
    raised: Exception, expected: type[UpstreamError]
) -> None:
    with pytest.raises(expected) as caught, upstream_errors("dopa"):
        raise raised
    assert type(caught.value) is expected
    assert caught.value.__cause__ is raised


def test_retry_after_values() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == 30
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


@pytest.mark.parametrize(
    ("request_", "retryable"),
    [
        (UpstreamRequest(), True),
        (UpstreamRequest(method="POST"), False),
        (UpstreamRequest(method="POST", idempotent=True), True),
        (UpstreamRequest(method="get", idempotent=False), False),
    ],
)
def test_only_idempotent_requests_are_retryable(request_: UpstreamRequest, retryable: bool) -> None:
    assert request_.retryable is retryable


def test_url_joins_with_one_slash() -> None:
    assert UpstreamRequest(path="/a/b").url("http://h/base/") == "http://h/base/a/b"
    assert UpstreamRequest(path="a").url("http://h/base") == "http://h/base/a"
    assert UpstreamRequest().url("http://h/base/") == "http://h/base"
