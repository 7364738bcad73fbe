"""Crosswalks from other code systems onto registry codes.

- ``ISO_3166_2``: ``TH-CC`` for each province (and ``TH-S`` for Pattaya).
- ``DOL_DISTRICT``: the Department of Lands' district codes, as LandsMaps takes them, written
  ``<2-digit province>/<DOL district code>`` (``84/05``, ``10/ก3``). Outside Bangkok DOL's
  district number is DOPA's; Bangkok's are DOL's own, some not numeric (:data:`BANGKOK_DOL`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from central_codes.naming import normalize
from central_codes.records import AreaRecord, CrosswalkRecord

__all__ = [
    "BANGKOK_DOL",
    "DOL_DISTRICT",
    "ISO_3166_2",
    "PATTAYA_DISTRICT",
    "dol_district_area",
    "dol_district_key",
    "dol_districts",
    "iso_3166_2",
    "subdistrict_named",
]

ISO_3166_2 = "ISO_3166_2"
# Pattaya City (TH-S) is a special administrative area, not a DOPA area: it lies in Bang
# Lamung district of Chon Buri (the subdistricts Nong Prue and Na Kluea).
PATTAYA_DISTRICT = "2004"
_ISO_SOURCE = "ISO 3166-2:TH (province codes reuse the DOPA province number)"
DOL_DISTRICT = "DOL_DISTRICT"
BANGKOK = "10"
# Bangkok's 37 older districts keep their DOPA number in DOL's codes (1001 -> 01); the 13
# created in 1997-1998 carry a zone letter and a sequence: ก central, น north, ช eastern
# suburbs, ต Thonburi side. Assumed (see _DOL_BANGKOK_SOURCE): to be confirmed with DOL.
_NEWER_BANGKOK = {
    "1039": "ก1", "1045": "ก2", "1038": "ก3",
    "1041": "น1", "1042": "น2",
    "1043": "ช1", "1044": "ช2", "1046": "ช3", "1047": "ช4",
    "1040": "ต1", "1048": "ต2", "1049": "ต3", "1050": "ต4",
}  # fmt: skip
BANGKOK_DOL: dict[str, str] = {f"10{n:02d}": f"{n:02d}" for n in range(1, 38)} | _NEWER_BANGKOK
_DOL_SOURCE = "Department of Lands district codes: DOPA's district number outside Bangkok"
_DOL_BANGKOK_SOURCE = (
    "Department of Lands district codes for Bangkok (assumed table: older districts keep "
    "DOPA's number, the 13 districts of 1997-1998 carry a zone letter; to be confirmed with DOL)"
)


def iso_3166_2(provinces: Iterable[AreaRecord], as_of: dt.date) -> tuple[CrosswalkRecord, ...]:
    """``TH-CC`` for every province, and ``TH-S`` for Pattaya."""
    rows = [
        CrosswalkRecord(ISO_3166_2, f"TH-{p.code}", p.code, _ISO_SOURCE, as_of) for p in provinces
    ]
    rows.append(CrosswalkRecord(ISO_3166_2, "TH-S", PATTAYA_DISTRICT, _ISO_SOURCE, as_of))
    return tuple(rows)


def dol_district_key(province_code: str, dol_district_code: str) -> str:
    """The crosswalk's external code for a LandsMaps ``pvcode``/``amcode`` pair: ``10/ก3``."""
    return f"{province_code.strip()}/{dol_district_code.strip()}"


def dol_districts(districts: Iterable[AreaRecord], as_of: dt.date) -> tuple[CrosswalkRecord, ...]:
    """The DOL district code of every given active district (Bangkok's from its own table)."""
    rows = []
    for d in districts:
        province, rest = d.code[:2], d.code[2:]
        if province == BANGKOK:
            if d.code not in BANGKOK_DOL:
                continue  # a Bangkok district DOL's table does not know: no guess
            key, source = dol_district_key(province, BANGKOK_DOL[d.code]), _DOL_BANGKOK_SOURCE
        else:
            key, source = dol_district_key(province, rest), _DOL_SOURCE
        rows.append(CrosswalkRecord(DOL_DISTRICT, key, d.code, source, as_of))
    return tuple(rows)


def dol_district_area(
    from_external: Mapping[tuple[str, str], str], province_code: str, dol_district_code: str
) -> str | None:
    """The DOPA district code a LandsMaps ``pvcode``/``amcode`` pair names, or None."""
    return from_external.get((DOL_DISTRICT, dol_district_key(province_code, dol_district_code)))


def subdistrict_named(subdistricts: Iterable[AreaRecord], name: str | None) -> AreaRecord | None:
    """The one subdistrict among ``subdistricts`` whose Thai name is ``name`` (level words and
    short forms ignored), or None when none or several match."""
    if not name:
        return None
    wanted = normalize(name)
    found = [s for s in subdistricts if normalize(s.name_th) == wanted]
    return found[0] if len(found) == 1 else None
