"""DLA documents sandbox: the whole XML feed, Buddhist-era dates, numbers that verify."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from central_codes.snapshot import Snapshot
from sandbox.agencies import dla_documents
from sandbox.data import SandboxData
from tests.sandbox.agency_client import agency_client, check_admin_faults

FEED = "/rss/documents.xml"
FIELDS = ["DOCUMENT_TOPIC", "ORG", "DOCUMENT_NO", "DOCUMENT_DATE", "UPLOAD_FILE1"]


@pytest.fixture(scope="module")
def data(snapshot: Snapshot) -> SandboxData:
    """The sandbox data over the registry."""
    return SandboxData(snapshot)


@pytest.fixture(scope="module")
async def api(data: SandboxData) -> AsyncIterator[TestClient[Any, Any]]:
    """A client to the DLA documents sandbox."""
    async with agency_client(dla_documents.AGENCY, data) as client:
        yield client


async def _feed(api: TestClient[Any, Any]) -> list[dict[str, str]]:
    response = await api.get(FEED)
    assert response.status == 200
    assert response.content_type == "text/xml"
    root = ET.fromstring(await response.read())
    assert root.tag == "DOCUMENTS"
    return [{child.tag: child.text or "" for child in item} for item in root.findall("DOCUMENT")]


@pytest.mark.parametrize(
    ("date", "text"),
    [(dt.date(2025, 12, 5), "05/12/2568"), (dt.date(2024, 10, 1), "01/10/2567")],
)
def test_dates_are_written_in_the_buddhist_era(date: dt.date, text: str) -> None:
    assert dla_documents.be_date(date) == text
    assert dla_documents.parse_be_date(text) == date


async def test_the_feed_lists_a_few_hundred_documents_newest_first(
    api: TestClient[Any, Any],
) -> None:
    items = await _feed(api)
    assert len(items) == dla_documents.DOCUMENT_COUNT
    assert all(list(item) == FIELDS for item in items)
    dates = [dla_documents.parse_be_date(i["DOCUMENT_DATE"]) for i in items]
    assert dates == sorted(dates, reverse=True)
    assert dt.date(2024, 10, 1) <= dates[-1] <= dates[0] <= dt.date(2025, 9, 30)
    assert all(re.fullmatch(r"มท 08\d\d\.\d/ว \d+", i["DOCUMENT_NO"]) for i in items)
    assert len({i["DOCUMENT_NO"] for i in items}) == len(items)
    assert all(
        i["UPLOAD_FILE1"].startswith("http://127.0.0.1:") and i["UPLOAD_FILE1"].endswith(".pdf")
        for i in items
    )


async def test_feed_agrees_with_the_register_and_is_stable(
    api: TestClient[Any, Any], data: SandboxData
) -> None:
    first, second = await _feed(api), await _feed(api)
    assert first == second
    register = dla_documents.documents(data)
    assert [(i["DOCUMENT_NO"], i["DOCUMENT_TOPIC"]) for i in first] == [
        (d.number, d.topic) for d in register
    ]


def test_verify_finds_a_number_only_with_its_date(data: SandboxData) -> None:
    document = dla_documents.documents(data)[10]
    assert dla_documents.find(data, document.number, document.date) == document
    assert dla_documents.find(data, document.number.replace(" ", "  "), document.date) == document
    assert dla_documents.find(data, document.number, document.date + dt.timedelta(days=1)) is None
    assert dla_documents.find(data, "มท 0816.3/ว 999999", document.date) is None


async def test_an_unchanged_feed_revalidates_with_304(api: TestClient[Any, Any]) -> None:
    first = await api.get(FEED)
    etag = first.headers["ETag"]
    again = await api.get(FEED, headers={"If-None-Match": etag})
    assert again.status == 304
    assert await again.read() == b""


async def test_admin_faults_apply(api: TestClient[Any, Any]) -> None:
    await check_admin_faults(api, "dla_documents", FEED)
