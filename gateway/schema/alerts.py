"""``disasterAlerts(activeOnly)`` on every area: CAP 1.2 alerts from DDPM and TMD.

Resolvers read the in-memory :class:`~gateway.alerts.AlertStore` that the app's poller keeps up
to date; no request waits on the agency. An alert for a province shows on its districts and
subdistricts, one for a district on its subdistricts.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.alerts import MappedArea, StoredAlert
from gateway.connectors.cap_alerts import CapInfo
from gateway.errors import UpstreamUnavailable
from gateway.schema.context import Info

__all__ = ["AlertFields", "AlertLanguage", "DisasterAlert", "DisasterAlertArea"]

CONNECTOR = "cap_alerts"


@strawberry.enum(description="The language of an alert's text.")
class AlertLanguage(enum.Enum):
    """Thai or English: each alert carries an info block in both."""

    TH = "th"
    EN = "en"


Lang = Annotated[
    AlertLanguage, strawberry.argument(description="The language of the text (Thai unless told).")
]


@strawberry.type(description="One area an alert names, with the registry codes it stands for.")
class DisasterAlertArea:
    """A CAP ``area``; ``codes`` is empty when no registry area could be told from it."""

    area_desc: str = strawberry.field(description="The area as the agency describes it.")
    codes: list[str] = strawberry.field(
        description="The registry codes of the area: from its ISO or DOPA geocode, else from "
        "an exact match of its name; empty when the name is unknown or ambiguous."
    )

    @classmethod
    def of(cls, area: MappedArea) -> DisasterAlertArea:
        """The graph object of a mapped area."""
        return cls(area_desc=area.desc, codes=list(area.codes))


@strawberry.type(description="A CAP 1.2 disaster alert in force (DDPM, TMD); only Actual ones.")
class DisasterAlert:
    """The latest alert of its thread: Updates replace what they reference, Cancels end it."""

    id: strawberry.ID = strawberry.field(description='The alert\'s key: "sender,identifier".')
    sender: str = strawberry.field(description="Who sent it (the CAP sender address).")
    identifier: str = strawberry.field(description="The sender's identifier for it.")
    sent: dt.datetime = strawberry.field(description="When it was sent.")
    status: str = strawberry.field(description="Always Actual: exercises and tests are not shown.")
    msg_type: str = strawberry.field(
        description="Alert, or Update when it replaces others; Cancel only in subscription events."
    )
    replaces: list[strawberry.ID] = strawberry.field(
        description='The alerts it updates ("sender,identifier"), from its references.'
    )
    source: str = strawberry.field(description="The connector the alert came from.")
    as_of: dt.datetime = strawberry.field(description="When the alert's document was read.")
    stale: bool = strawberry.field(
        description="True when the latest read of the feed failed: a newer Update or Cancel "
        "may be missing."
    )
    stored: strawberry.Private[StoredAlert]

    @classmethod
    def of(cls, stored: StoredAlert, *, stale: bool) -> DisasterAlert:
        """The graph object of a stored alert; ``stale`` when the feed's latest read failed."""
        alert = stored.alert
        return cls(
            id=strawberry.ID(",".join(alert.key)),
            sender=alert.sender,
            identifier=alert.identifier,
            sent=alert.sent,
            status=alert.status,
            msg_type=alert.msg_type,
            replaces=[strawberry.ID(",".join(r.key)) for r in alert.references],
            source=CONNECTOR,
            as_of=stored.as_of,
            stale=stale,
            stored=stored,
        )

    def _info(self, lang: AlertLanguage = AlertLanguage.TH) -> CapInfo:
        return self._block(lang)[0]

    def _block(self, lang: AlertLanguage) -> tuple[CapInfo, tuple[MappedArea, ...]]:
        block = self.stored.info(lang.value)
        if block is None:  # the store shows no alert without an info block
            raise UpstreamUnavailable("the alert has no info block", connector=CONNECTOR)
        return block

    @strawberry.field(description="The kind of event, such as Flood.")
    def event(self, lang: Lang = AlertLanguage.TH) -> str:
        return self._info(lang).event

    @strawberry.field(description="The alert's headline.")
    def headline(self, lang: Lang = AlertLanguage.TH) -> str | None:
        return self._info(lang).headline

    @strawberry.field(description="What is happening.")
    def description(self, lang: Lang = AlertLanguage.TH) -> str | None:
        return self._info(lang).description

    @strawberry.field(description="What people should do.")
    def instruction(self, lang: Lang = AlertLanguage.TH) -> str | None:
        return self._info(lang).instruction

    @strawberry.field(description="The sending agency's name.")
    def sender_name(self, lang: Lang = AlertLanguage.TH) -> str | None:
        return self._info(lang).sender_name

    @strawberry.field(description="CAP categories, such as Met, Geo, Env.")
    def categories(self) -> list[str]:
        return list(self._info().categories)

    @strawberry.field(description="Extreme, Severe, Moderate, Minor or Unknown.")
    def severity(self) -> str:
        return self._info().severity

    @strawberry.field(description="Immediate, Expected, Future, Past or Unknown.")
    def urgency(self) -> str:
        return self._info().urgency

    @strawberry.field(description="Observed, Likely, Possible, Unlikely or Unknown.")
    def certainty(self) -> str:
        return self._info().certainty

    @strawberry.field(description="When it takes effect.")
    def effective(self) -> dt.datetime | None:
        return self._info().effective

    @strawberry.field(description="When the event is expected to begin.")
    def onset(self) -> dt.datetime | None:
        return self._info().onset

    @strawberry.field(description="When it ends; null when no end is given.")
    def expires(self) -> dt.datetime | None:
        return self.stored.expires

    @strawberry.field(description="The areas it names, with their registry codes.")
    def areas(self, lang: Lang = AlertLanguage.TH) -> list[DisasterAlertArea]:
        return [DisasterAlertArea.of(a) for a in self._block(lang)[1]]


@strawberry.type
class AlertFields:
    """The disaster-alert field of Province, District and Subdistrict.

    A strawberry type only so that the areas inherit its field; it is never in the schema.
    """

    if TYPE_CHECKING:
        code: strawberry.ID  # the area's, as Area declares it

    @strawberry.field(
        description="CAP disaster alerts in force for this area or an area above it, newest "
        "first; null with an error when the feed could not be read since start-up."
    )
    async def disaster_alerts(
        self,
        info: Info,
        active_only: Annotated[
            bool, strawberry.argument(description="Leave out alerts that have expired.")
        ] = True,
    ) -> list[DisasterAlert] | None:
        poller = info.context.alerts
        if poller is None:
            raise UpstreamUnavailable("alerts are not being polled", connector=CONNECTOR)
        await poller.read_once()
        store = poller.store
        if store.as_of is None:
            raise UpstreamUnavailable("the alert feed could not be read", connector=CONNECTOR)
        found = store.for_area(str(self.code), active_only=active_only)
        return [DisasterAlert.of(s, stale=store.stale) for s in found]
