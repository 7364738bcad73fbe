"""DLA documents connector: Buddhist-era dates, the feed's mapping, and look-ups in the sandbox."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette

from gateway.connectors import ConnectorRuntime, ConnectorSettings, MemoryCache, client_session
from gateway.connectors.dla_documents import (
    DlaDocumentsClient,
    OfficialDocument,
    map_feed,
    normalise_number,
    parse_be_date,
)
from gateway.errors import UpstreamBlocked
from sandbox.agencies.dla_documents import documents
from sandbox.server import Sandbox


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/12/2568", dt.date(2025, 12, 5)),
        ("01/01/2500", dt.date(1957, 1, 1)),
        (" 29/02/2567 ", dt.date(2024, 2, 29)),  # 2024 is a leap year
        ("31/10/2567", dt.date(2024, 10, 31)),
    ],
)
def test_buddhist_era_dates(text: str, expected: dt.date) -> None:
    assert parse_be_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2025-12-05", "05/12/2025", "29/02/2568", "32/01/2568", "5/12", "", "๕/๑๒/๒๕๖๘"]
)
def test_not_buddhist_era_dates(text: str) -> None:
    with pytest.raises(ValueError, match=r"DOCUMENT_DATE|out of range"):
        parse_be_date(text)


def test_numbers_compare_with_white_space_collapsed() -> None:
    assert normalise_number("  มท  0816.3/ว\t1234 ") == "มท 0816.3/ว 1234"


FEED = """<DOCUMENTS>
<DOCUMENT><DOCUMENT_TOPIC>แจ้งการ</DOCUMENT_TOPIC><ORG>กองคลัง</ORG>
<DOCUMENT_NO>มท 0808.2/ว 7</DOCUMENT_NO><DOCUMENT_DATE>05/12/2568</DOCUMENT_DATE>
<UPLOAD_FILE1>https://www.dla.go.th/upload/a.pdf</UPLOAD_FILE1></DOCUMENT>
<DOCUMENT><DOCUMENT_TOPIC>x</DOCUMENT_TOPIC><ORG>y</ORG>
<DOCUMENT_NO>มท 0808.2/ว  8</DOCUMENT_NO><DOCUMENT_DATE>06/12/2568</DOCUMENT_DATE>
<UPLOAD_FILE1></UPLOAD_FILE1></DOCUMENT>
</DOCUMENTS>"""


def test_map_feed_indexes_by_number_and_date() -> None:
    index = map_feed(ElementTree.fromstring(FEED))
    assert index[("มท 0808.2/ว 7", dt.date(2025, 12, 5))] == OfficialDocument(
        "มท 0808.2/ว 7",
        dt.date(2025, 12, 5),
        "แจ้งการ",
        "กองคลัง",
        "https://www.dla.go.th/upload/a.pdf",
    )
    assert index[("มท 0808.2/ว 8", dt.date(2025, 12, 6))].file_url is None


@pytest.mark.parametrize(
    "feed",
    [
        "<RSS/>",
        "<DOCUMENTS><DOCUMENT><DOCUMENT_NO>1</DOCUMENT_NO></DOCUMENT></DOCUMENTS>",
        "<DOCUMENTS><DOCUMENT><DOCUMENT_DATE>05/12/2568</DOCUMENT_DATE></DOCUMENT></DOCUMENTS>",
    ],
)
def test_map_feed_refuses_other_shapes(feed: str) -> None:
    with pytest.raises((LookupError, ValueError)):
        map_feed(ElementTree.fromstring(feed))


@pytest.fixture
async def dla(gateway_app: Starlette) -> AsyncIterator[tuple[ConnectorRuntime, Sandbox]]:
    """A cold runtime on the app's sandbox, its request log cleared."""
    sandbox: Sandbox = gateway_app.state.resources.agencies.sandbox
    settings = ConnectorSettings("dla_documents", base_url=sandbox.urls["dla_documents"], retries=0)
    state = sandbox.state.agency("dla_documents")
    state.requests.clear()
    async with client_session() as session:
        try:
            yield ConnectorRuntime(settings, session, cache=MemoryCache()), sandbox
        finally:
            sandbox.state.set_faults("dla_documents", {"html_block": False})
            state.requests.clear()


async def test_a_registered_document_is_found_and_the_feed_read_once(dla: Any) -> None:
    runtime, sandbox = dla
    wanted = documents(sandbox.data)[17]
    client = DlaDocumentsClient(runtime, "r-1")
    found = (await client.find(wanted.number.replace(" ", "  "), wanted.date)).value
    assert found is not None
    assert (found.number, found.date, found.topic, found.issuing_office) == (
        wanted.number,
        wanted.date,
        wanted.topic,
        wanted.org,
    )
    assert found.file_url == sandbox.urls["dla_documents"] + wanted.file_path
    assert (await client.find(wanted.number, wanted.date + dt.timedelta(days=1))).value is None
    assert (await client.find("มท 9999/ว 1", wanted.date)).value is None
    assert len(sandbox.state.agency("dla_documents").requests) == 1  # cached


async def test_a_firewall_page_is_upstream_blocked(dla: Any) -> None:
    runtime, sandbox = dla
    sandbox.state.set_faults("dla_documents", {"html_block": True})
    with pytest.raises(UpstreamBlocked):
        await DlaDocumentsClient(runtime).find("มท 0808.2/ว 7", dt.date(2025, 1, 1))
