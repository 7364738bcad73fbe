"""CAP documents and alerts built for tests: one Thai and one English info block."""

from __future__ import annotations

import datetime as dt

from gateway.alerts.areas import AreaMapper
from gateway.alerts.store import StoredAlert
from gateway.connectors import UpstreamResponse
from gateway.connectors.cap_alerts import map_alert

SENDER = "cap@disaster.go.th"
START = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def cap_xml(
    identifier: str,
    *,
    hour: int = 0,
    msg_type: str = "Alert",
    status: str = "Actual",
    references: tuple[str, ...] = (),
    area: str = "<geocode><valueName>ISO3166-2</valueName><value>TH-84</value></geocode>",
    name: str = "สุราษฎร์ธานี",
    expires_hours: int = 48,
) -> str:
    """A CAP 1.2 document sent ``hour`` hours after :data:`START`."""
    sent = START + dt.timedelta(hours=hour)
    refs = " ".join(f"{SENDER},{r},{START.isoformat()}" for r in references)
    infos = "".join(
        f"<info><language>{lang}</language><category>Met</category><event>{event}</event>"
        "<urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>"
        f"<expires>{(sent + dt.timedelta(hours=expires_hours)).isoformat()}</expires>"
        f"<headline>{event} {identifier}</headline>"
        f"<area><areaDesc>{name}</areaDesc>{area}</area></info>"
        for lang, event in (("th-TH", "อุทกภัย"), ("en-US", "Flood"))
    )
    return (
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
        f"<identifier>{identifier}</identifier><sender>{SENDER}</sender>"
        f"<sent>{sent.isoformat()}</sent><status>{status}</status><msgType>{msg_type}</msgType>"
        f"<scope>Public</scope>{f'<references>{refs}</references>' if refs else ''}{infos}</alert>"
    )


def stored(mapper: AreaMapper, document: str) -> StoredAlert:
    """The document read and mapped, as the poller would store it."""
    response = UpstreamResponse.build("cap_alerts", 200, document.encode(), {})
    alert = map_alert(response.xml())
    areas = tuple(tuple(mapper.map(a) for a in info.areas) for info in alert.infos)
    return StoredAlert(alert, areas, START)
