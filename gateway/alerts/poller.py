"""Reads the CAP feed into the :class:`AlertStore`: on an interval, and on demand.

Each poll reads the Atom index (with ``If-None-Match``, so an unchanged feed costs a 304), then
each document not read before. A document that fails (bad XML, a required element missing, the
agency failing) is logged and read again next poll; the others stand. Alerts are added oldest
first so that an Update always follows what it replaces, and each one added is published to
subscribers (:mod:`gateway.alerts.fanout`) in that order, once it is in the store.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from central_codes.snapshot import Snapshot
from gateway.alerts.areas import AreaMapper
from gateway.alerts.events import event_for
from gateway.alerts.fanout import AlertEvents, InProcessAlertEvents
from gateway.alerts.store import AlertStore, StoredAlert
from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.cap_alerts import CapAlertsClient
from gateway.errors import UpstreamError
from gateway.repeating import Repeating

__all__ = ["AlertPoller", "PollReport"]

log = logging.getLogger("gateway.alerts")


@dataclass
class PollReport:
    """What one poll did: alerts added and published, documents that failed, names unmapped."""

    added: list[str] = field(default_factory=list)  # identifiers
    published: list[str] = field(default_factory=list)  # identifiers sent to subscribers
    failed: dict[str, str] = field(default_factory=dict)  # path -> error code
    unmapped: dict[str, tuple[str, ...]] = field(default_factory=dict)  # identifier -> names
    feed_error: str | None = None  # the error code when the index itself could not be read


class AlertPoller:
    """Keeps ``store`` up to date from the ``cap_alerts`` connector, and tells ``events``."""

    def __init__(
        self,
        store: AlertStore,
        runtime: Callable[[], ConnectorRuntime | None],
        snapshot: Callable[[], Snapshot | None],
        *,
        every_seconds: float,
        events: AlertEvents | None = None,
    ) -> None:
        self.store = store
        self.events = events if events is not None else InProcessAlertEvents()
        self._runtime, self._snapshot = runtime, snapshot
        self._seen: set[str] = set()
        self._etag: str | None = None
        self._mapper: AreaMapper | None = None
        self._lock = asyncio.Lock()
        self._repeating = Repeating(
            self.poll_now,
            every_seconds=every_seconds,
            log=log,
            failure="could not poll the CAP feed",
        )

    def start(self) -> None:
        """Poll now and then every ``every_seconds`` in the background."""
        self._repeating.start()

    async def stop(self) -> None:
        """Cancel the background polling and wait for it to end, then close ``events``."""
        await self._repeating.stop()
        await self.events.close()

    async def poll_now(self) -> PollReport:
        """Read the feed and every new document once; never raises for the agency's faults."""
        async with self._lock:
            return await self._poll_locked()

    async def read_once(self) -> None:
        """Poll now if the feed has never been read; callers at the same moment share one poll.

        A field asking for alerts right after start-up waits for the first poll instead of
        answering that the feed has not been read.
        """
        if self.store.as_of is not None:
            return
        async with self._lock:
            if self.store.as_of is None:
                await self._poll_locked()

    async def _poll_locked(self) -> PollReport:
        report = PollReport()
        runtime, mapper = self._runtime(), self._mapper_now()
        if runtime is None or mapper is None:
            report.feed_error = "UPSTREAM_UNAVAILABLE"
            return report
        await self._poll(CapAlertsClient(runtime), mapper, report)
        return report

    async def _poll(self, client: CapAlertsClient, mapper: AreaMapper, report: PollReport) -> None:
        try:
            page = await client.feed(self._etag)
        except UpstreamError as error:
            log.warning("could not read the CAP feed: %s (%s)", error, error.code)
            self.store.failed()
            report.feed_error = error.code
            return
        new = [p for p in page.paths or () if p not in self._seen]
        read = await asyncio.gather(*(self._read(client, mapper, p, report) for p in new))
        for stored in sorted((s for s in read if s is not None), key=lambda s: s.alert.sent):
            self.store.add(stored)
            report.added.append(stored.alert.identifier)
            await self._publish(stored, report)
        if not report.failed:
            self._etag = page.etag  # after a failure, read the whole feed again next time
        self.store.read(dt.datetime.now(dt.UTC))

    async def _publish(self, stored: StoredAlert, report: PollReport) -> None:
        event = event_for(stored, self.store, dt.datetime.now(dt.UTC))
        if event is not None and await self.events.publish(event):
            report.published.append(stored.alert.identifier)

    async def _read(
        self, client: CapAlertsClient, mapper: AreaMapper, path: str, report: PollReport
    ) -> StoredAlert | None:
        try:
            fetched = await client.alert(path)
        except UpstreamError as error:
            log.warning("CAP document %s refused: %s (%s)", path, error, error.code)
            report.failed[path] = error.code
            return None
        self._seen.add(path)
        alert = fetched.value
        areas = tuple(tuple(mapper.map(a) for a in info.areas) for info in alert.infos)
        stored = StoredAlert(alert, areas, fetched.as_of)
        if stored.unmapped:
            log.warning(
                "CAP alert %s: no registry area named %s", alert.identifier, stored.unmapped
            )
            report.unmapped[alert.identifier] = stored.unmapped
        return stored

    def _mapper_now(self) -> AreaMapper | None:
        snapshot = self._snapshot()
        if snapshot is None:
            return None
        if self._mapper is None or self._mapper.snapshot is not snapshot:
            self._mapper = AreaMapper(snapshot)
        return self._mapper
