"""Crosswalks from other code systems onto registry codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from central_codes.records import AreaRecord, CrosswalkRecord

__all__ = ["ISO_3166_2", "PATTAYA_DISTRICT", "iso_3166_2"]

ISO_3166_2 = "ISO_3166_2"
# Pattaya City (TH-S) is a special administrative area, not a DOPA area: it lies in Bang
# Lamung district of Chon Buri (the subdistricts Nong Prue and Na Kluea).
PATTAYA_DISTRICT = "2004"
_ISO_SOURCE = "ISO 3166-2:TH (province codes reuse the DOPA province number)"


def iso_3166_2(provinces: Iterable[AreaRecord], as_of: dt.date) -> tuple[CrosswalkRecord, ...]:
    """``TH-CC`` for every province, and ``TH-S`` for Pattaya."""
    rows = [
        CrosswalkRecord(ISO_3166_2, f"TH-{p.code}", p.code, _ISO_SOURCE, as_of) for p in provinces
    ]
    rows.append(CrosswalkRecord(ISO_3166_2, "TH-S", PATTAYA_DISTRICT, _ISO_SOURCE, as_of))
    return tuple(rows)
