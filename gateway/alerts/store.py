"""The latest state of every alert, keyed by ``(sender, identifier)``, threaded by ``references``.

An Actual Update or Cancel replaces the alerts it references: they leave the current set, the
Update stands in their place, the Cancel shows nowhere. Alerts that are not ``Actual``
(Exercise, System, Test, Draft) are kept, for the record, but never shown, and their
references replace nothing public. An alert for an area shows on every area inside it: the
DOPA code of an area starts with the code of each area above it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gateway.alerts.areas import MappedArea
from gateway.connectors.cap_alerts import CapAlert, CapInfo

__all__ = ["AlertStore", "StoredAlert"]

Key = tuple[str, str]
_SHOWN_TYPES = frozenset({"Alert", "Update"})


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """One alert as received, with each info block's areas mapped onto registry codes."""

    alert: CapAlert
    areas: tuple[tuple[MappedArea, ...], ...]  # one tuple per info block, in order
    as_of: dt.datetime  # when the agency's document was read

    @property
    def key(self) -> Key:
        """``(sender, identifier)``."""
        return self.alert.key

    @property
    def codes(self) -> frozenset[str]:
        """Every registry code any of its areas maps onto."""
        return frozenset(c for areas in self.areas for area in areas for c in area.codes)

    @property
    def unmapped(self) -> tuple[str, ...]:
        """The area descriptions no registry code was found for."""
        return tuple(dict.fromkeys(a.desc for areas in self.areas for a in areas if not a.mapped))

    @property
    def expires(self) -> dt.datetime | None:
        """The latest ``expires`` of its info blocks; None when one has no end."""
        ends = [i.expires for i in self.alert.infos]
        return None if not ends or None in ends else max(e for e in ends if e is not None)

    def expired(self, now: dt.datetime) -> bool:
        """True once its last info block has expired."""
        return self.expires is not None and self.expires <= now

    def info(self, language: str) -> tuple[CapInfo, tuple[MappedArea, ...]] | None:
        """The info block in ``language`` ("th", "en"), else the first; None without any."""
        if not self.alert.infos:
            return None
        chosen = next(
            (n for n, i in enumerate(self.alert.infos) if i.language.lower().startswith(language)),
            0,
        )
        return self.alert.infos[chosen], self.areas[chosen]


class AlertStore:
    """Every alert received, and which of them stand now; see the module's docstring."""

    def __init__(self, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self._clock = clock
        self._alerts: dict[Key, StoredAlert] = {}
        self._replaced_by: dict[Key, Key] = {}
        self._by_code: defaultdict[str, set[Key]] = defaultdict(set)
        self.as_of: dt.datetime | None = None  # the last time the feed was read whole
        self.stale = False  # True while the feed fails after having been read

    def __contains__(self, key: object) -> bool:
        return key in self._alerts

    def __len__(self) -> int:
        return len(self._alerts)

    def add(self, stored: StoredAlert) -> None:
        """Keep one alert; an Actual one replaces what it references."""
        self._alerts[stored.key] = stored
        for code in stored.codes:
            self._by_code[code].add(stored.key)
        if stored.alert.status == "Actual":
            for reference in stored.alert.references:
                self._replaced_by[reference.key] = stored.key

    def get(self, key: Key) -> StoredAlert | None:
        """The alert received under ``key``, whether it stands or not."""
        return self._alerts.get(key)

    def read(self, when: dt.datetime) -> None:
        """Record a whole, successful read of the feed."""
        self.as_of, self.stale = when, False

    def failed(self) -> None:
        """Record a failed read: what the store holds may be out of date."""
        self.stale = self.as_of is not None

    def current(self) -> list[StoredAlert]:
        """Every alert that stands (public, with info, not replaced, not a Cancel), newest first."""
        return self._newest_first(a for a in self._alerts.values() if self._stands(a))

    def for_area(self, code: str, *, active_only: bool = True) -> list[StoredAlert]:
        """The standing alerts for ``code`` or any area above it, newest first."""
        keys = set().union(
            *(self._by_code.get(code[:n], set()) for n in (2, 4, 6) if n <= len(code))
        )
        now = self._clock()
        found = (self._alerts[k] for k in keys)
        return self._newest_first(
            a for a in found if self._stands(a) and not (active_only and a.expired(now))
        )

    def unmapped(self) -> dict[Key, tuple[str, ...]]:
        """For each alert with areas we could not place, their descriptions."""
        return {k: a.unmapped for k, a in self._alerts.items() if a.unmapped}

    def _stands(self, stored: StoredAlert) -> bool:
        alert = stored.alert
        return (
            alert.status == "Actual"
            and alert.msg_type in _SHOWN_TYPES
            and bool(alert.infos)
            and stored.key not in self._replaced_by
        )

    @staticmethod
    def _newest_first(alerts: Iterable[StoredAlert]) -> list[StoredAlert]:
        return sorted(alerts, key=lambda a: (a.alert.sent, a.key), reverse=True)
