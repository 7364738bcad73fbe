"""Search areas by Thai or English name, the way people write them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from central_codes.codes import Level
from central_codes.naming import PROVINCE_ALIASES, is_capital_word, level_hint, normalize
from central_codes.records import AreaRecord, Status
from central_codes.snapshot import Snapshot

__all__ = ["AreaMatch", "SearchIndex"]

# How well a name fits a query: the whole name, its beginning, anywhere in it.
EXACT, PREFIX, CONTAINS = 1.0, 0.8, 0.5


@dataclass(frozen=True, slots=True)
class AreaMatch:
    """One search result: the area, the name that matched and how well."""

    area: AreaRecord
    matched_name: str
    score: float


@dataclass(frozen=True, slots=True)
class _Entry:
    area: AreaRecord
    keys: tuple[tuple[str, str], ...]  # (normalized, as written) for each of its names


class SearchIndex:
    """Every active area under its normalized names, built once per snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    @cached_property
    def _entries(self) -> tuple[_Entry, ...]:
        return tuple(
            _Entry(area, tuple((normalize(n), n) for n in (area.name_th, area.name_en) if n))
            for area in self._snapshot.areas.values()
            if area.status is Status.ACTIVE
        )

    def search(self, query: str, level: Level | None = None, first: int = 10) -> list[AreaMatch]:
        """The best ``first`` matches: whole names, then beginnings, then anywhere; larger areas first.

        A query of several words ("เกาะเต่า พะงัน") is read as a name and the names of areas
        above it when the whole query matches nothing.
        """
        wanted = normalize(query)
        if not wanted or first <= 0:
            return []
        level = level or level_hint(query)
        found = self._matches(wanted, level)
        words = query.split()
        if not found and len(words) > 1 and not _SHORT_FORM_ONLY.match(words[0]):
            found = self._within(words, level)
        best: dict[str, AreaMatch] = {}
        for match in found:
            if match.area.code not in best or match.score > best[match.area.code].score:
                best[match.area.code] = match
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.area.level.value, m.area.code))
        return ranked[:first]

    def _matches(self, wanted: str, level: Level | None) -> list[AreaMatch]:
        found = list(self._named(wanted, level))
        alias = PROVINCE_ALIASES.get(wanted)
        if (
            alias
            and level in (None, Level.PROVINCE)
            and not any(m.area.code == alias for m in found)
        ):
            area = self._snapshot.areas[alias]
            found.append(AreaMatch(area, area.name_th, EXACT))
        if is_capital_word(wanted) and level in (None, Level.DISTRICT):
            found.extend(self._capitals())
        return found

    def _named(self, wanted: str, level: Level | None) -> Iterable[AreaMatch]:
        for entry in self._entries:
            if level is not None and entry.area.level is not level:
                continue
            best = max((_fit(wanted, key), name) for key, name in entry.keys)
            if best[0] > 0:
                yield AreaMatch(entry.area, best[1], best[0])

    def _capitals(self) -> Iterable[AreaMatch]:
        # "อ.เมือง" is the capital district's everyday name: a whole-name match, ranked
        # before districts that merely begin with the word ("เมืองยาง").
        for province in self._snapshot.provinces:
            capital = self._snapshot.areas.get(province.code + "01")
            if capital is not None and province.code != "10":
                yield AreaMatch(capital, capital.name_th, EXACT)

    def _within(self, words: list[str], level: Level | None) -> list[AreaMatch]:
        head, rest = normalize(words[0]), [normalize(w) for w in words[1:]]
        found = []
        for match in self._matches(head, level):
            above = [k for a in self._snapshot.ancestors(match.area) for k in _keys(a)]
            if all(any(_fit(word, key) > 0 for key in above) for word in rest if word):
                found.append(match)
        return found


_SHORT_FORM_ONLY = re.compile(r"^(?:จ|อ|ต)\.?$")


def _keys(area: AreaRecord) -> list[str]:
    keys = [normalize(n) for n in (area.name_th, area.name_en) if n]
    keys.extend(alias for alias, code in PROVINCE_ALIASES.items() if code == area.code)
    return keys


def _fit(wanted: str, key: str) -> float:
    if key == wanted:
        return EXACT
    if key.startswith(wanted):
        return PREFIX
    return CONTAINS if wanted in key else 0.0
