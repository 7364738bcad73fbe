"""The poller against a small CAP agency: bad documents are skipped, the rest stand."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from central_codes.snapshot import Snapshot
from gateway.alerts import AlertPoller, AlertStore
from gateway.connectors import ConnectorRuntime, ConnectorSettings
from tests.gateway.alerts.documents import cap_xml

ATOM = "http://www.w3.org/2005/Atom"


class Agency:
    """CAP documents by identifier, listed in an Atom feed; counts feed reads."""

    def __init__(self) -> None:
        self.documents: dict[str, str] = {}
        self.feed_reads = 0
        self.down = False

    async def feed(self, request: web.Request) -> web.Response:
        self.feed_reads += 1
        if self.down:
            return web.Response(status=503)
        entries = "".join(
            f'<entry><link rel="alternate" type="application/cap+xml" '
            f'href="{request.url.origin()}/cap/alerts/{i}.xml"/></entry>'
            for i in reversed(self.documents)
        )
        return web.Response(
            text=f'<feed xmlns="{ATOM}">{entries}</feed>', content_type="application/atom+xml"
        )

    async def document(self, request: web.Request) -> web.Response:
        body = self.documents[request.match_info["identifier"]]
        return web.Response(text=body, content_type="application/cap+xml")


@pytest.fixture
async def agency() -> AsyncIterator[tuple[Agency, str]]:
    """A running agency and its URL."""
    fake = Agency()
    app = web.Application()
    app.router.add_get("/cap/feed.xml", fake.feed)
    app.router.add_get("/cap/alerts/{identifier}.xml", fake.document)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    yield fake, str(server.make_url(""))
    await server.close()


@pytest.fixture
async def poller(agency: tuple[Agency, str], snapshot: Snapshot) -> AsyncIterator[AlertPoller]:
    """A poller over the fake agency, with no retries."""
    settings = ConnectorSettings(name="cap_alerts", base_url=agency[1], retries=0)
    async with aiohttp.ClientSession() as session:
        runtime = ConnectorRuntime(settings, session)
        yield AlertPoller(AlertStore(), lambda: runtime, lambda: snapshot, every_seconds=60)


async def test_a_malformed_document_is_skipped_and_the_others_stand(
    agency: tuple[Agency, str], poller: AlertPoller
) -> None:
    fake, _ = agency
    fake.documents["A"] = cap_xml("A")
    fake.documents["BROKEN"] = cap_xml("BROKEN", hour=1)[:-40]
    fake.documents["NOSENDER"] = cap_xml("NOSENDER", hour=2).replace("<sender>", "<from>")
    fake.documents["B"] = cap_xml("B", hour=3)
    report = await poller.poll_now()
    assert report.added == ["A", "B"]
    assert report.failed == {
        "/cap/alerts/BROKEN.xml": "UPSTREAM_BAD_RESPONSE",
        "/cap/alerts/NOSENDER.xml": "UPSTREAM_BAD_RESPONSE",
    }
    assert [a.alert.identifier for a in poller.store.for_area("840503")] == ["B", "A"]


async def test_a_fixed_document_is_read_on_the_next_poll(
    agency: tuple[Agency, str], poller: AlertPoller
) -> None:
    fake, _ = agency
    fake.documents["A"] = cap_xml("A")[:-40]
    assert (await poller.poll_now()).added == []
    fake.documents["A"] = cap_xml("A")
    assert (await poller.poll_now()).added == ["A"]
    assert (await poller.poll_now()).added == []
    assert fake.feed_reads == 3


async def test_a_failing_feed_marks_the_store_stale(
    agency: tuple[Agency, str], poller: AlertPoller
) -> None:
    fake, _ = agency
    fake.documents["A"] = cap_xml("A")
    await poller.poll_now()
    assert poller.store.as_of is not None
    assert not poller.store.stale
    fake.down = True
    report = await poller.poll_now()
    assert report.feed_error == "UPSTREAM_UNAVAILABLE"
    assert poller.store.stale
    assert [a.alert.identifier for a in poller.store.current()] == ["A"]


async def test_the_first_read_on_demand_is_one_poll_for_every_caller(
    agency: tuple[Agency, str], poller: AlertPoller
) -> None:
    fake, _ = agency
    fake.documents["A"] = cap_xml("A")
    assert poller.store.as_of is None
    await asyncio.gather(*(poller.read_once() for _ in range(20)))
    assert fake.feed_reads == 1
    assert poller.store.as_of is not None
    assert len(poller.store) == 1
    await poller.read_once()
    assert fake.feed_reads == 1  # once read, the interval decides, not the callers


async def test_a_failed_first_read_is_tried_again_by_the_next_caller(
    agency: tuple[Agency, str], poller: AlertPoller
) -> None:
    fake, _ = agency
    fake.down = True
    await poller.read_once()
    assert poller.store.as_of is None
    fake.down = False
    await poller.read_once()
    assert poller.store.as_of is not None
    assert fake.feed_reads == 2
