"""Match an address written by hand (subdistrict, district, province, postal code) to codes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cached_property

from central_codes.codes import Level
from central_codes.history import current_areas
from central_codes.naming import PROVINCE_ALIASES, is_capital_word, normalize
from central_codes.records import AreaRecord, Status
from central_codes.snapshot import Snapshot

__all__ = ["AddressMatcher"]


class AddressMatcher:
    """Finds the subdistricts an address can mean; one result only when it is unambiguous."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    @cached_property
    def _by_name(self) -> Mapping[str, tuple[AreaRecord, ...]]:
        grouped: defaultdict[str, list[AreaRecord]] = defaultdict(list)
        for area in self._snapshot.areas.values():
            if area.level is Level.SUBDISTRICT:
                for name in {normalize(n) for n in (area.name_th, area.name_en) if n}:
                    grouped[name].append(area)
        return {name: tuple(areas) for name, areas in grouped.items()}

    def match(
        self,
        subdistrict: str,
        district: str | None = None,
        province: str | None = None,
        postal_code: str | None = None,
    ) -> list[AreaRecord]:
        """Active subdistricts that fit every part given, by code.

        When no active subdistrict has the name, an abolished one with that name stands for
        the areas that took its place (old records keep old names).
        """
        named = self._by_name.get(normalize(subdistrict), ())
        fits = [a for a in named if self._fits(a, district, province)]
        postal = (postal_code or "").strip()
        active = _using(postal, [a for a in fits if a.status is Status.ACTIVE])
        if not active:  # the postal code counts too: "แขวงบางนา 10260" is not Bang Na, Ayutthaya
            successors = {s.code: s for a in fits for s in current_areas(self._snapshot, a.code)}
            active = _using(postal, list(successors.values()))
        return sorted(active, key=lambda a: a.code)

    def _fits(self, area: AreaRecord, district: str | None, province: str | None) -> bool:
        if province and not self._is_province(area.code[:2], normalize(province)):
            return False
        return not district or self._is_district(area.code[:4], normalize(district))

    def _is_province(self, code: str, name: str) -> bool:
        found = self._snapshot.areas.get(code)
        return found is not None and (name in _names(found) or PROVINCE_ALIASES.get(name) == code)

    def _is_district(self, code: str, name: str) -> bool:
        found = self._snapshot.areas.get(code)
        if found is None:
            return False
        capital = code.endswith("01") and not code.startswith("10") and is_capital_word(name)
        return capital or name in _names(found)


def _using(postal: str, areas: list[AreaRecord]) -> list[AreaRecord]:
    """The areas that use ``postal`` (all of them when no postal code is given)."""
    return [a for a in areas if postal in a.postal_codes] if postal else areas


def _names(area: AreaRecord) -> set[str]:
    return {normalize(n) for n in (area.name_th, area.name_en) if n}
