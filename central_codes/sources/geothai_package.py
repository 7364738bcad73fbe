"""Read DOPA's codes from the ``geothai`` package (data CC-BY 4.0, GeoThai/data)."""

from __future__ import annotations

import datetime as dt

import geothai
from geothai.abolished import abolished_areas

from central_codes.codes import Level
from central_codes.crosswalk import dol_districts, iso_3166_2
from central_codes.records import AreaRecord, Basis, RegistryData, Status, SuccessorLink

__all__ = ["SOURCE_NAME", "read_geothai"]

SOURCE_NAME = "geothai"
_LEVELS = {"province": Level.PROVINCE, "district": Level.DISTRICT, "subdistrict": Level.SUBDISTRICT}


def read_geothai() -> RegistryData:
    """Every active and abolished area in the installed ``geothai``, with the ISO and DOL crosswalks."""
    areas = [*_active_areas(), *_abolished_areas()]
    links = tuple(_links())
    as_of = dt.date.fromisoformat(geothai.DATA_VERSION.replace(".", "-"))
    return RegistryData(
        source=SOURCE_NAME,
        source_version=geothai.DATA_VERSION,
        areas=tuple(areas),
        links=links,
        crosswalks=(
            *iso_3166_2([a for a in areas if a.level is Level.PROVINCE], as_of),
            *dol_districts(_active(areas, Level.DISTRICT), as_of),
        ),
    )


def _active(areas: list[AreaRecord], level: Level) -> list[AreaRecord]:
    return [a for a in areas if a.level is level and a.status is Status.ACTIVE]


def _active_areas() -> list[AreaRecord]:
    found: list[AreaRecord] = []
    for p in geothai.provinces():
        found.append(AreaRecord(p.code, Level.PROVINCE, p.name_th, p.name_en, Status.ACTIVE, None))
        for d in geothai.districts(p.code):
            found.append(
                AreaRecord(d.code, Level.DISTRICT, d.name_th, d.name_en, Status.ACTIVE, p.code)
            )
            found.extend(
                AreaRecord(
                    s.code,
                    Level.SUBDISTRICT,
                    s.name_th,
                    s.name_en,
                    Status.ACTIVE,
                    d.code,
                    postal_codes=tuple(s.postal_codes),
                )
                for s in geothai.subdistricts(d.code)
            )
    return found


def _abolished_areas() -> list[AreaRecord]:
    return [
        AreaRecord(
            a.code,
            _LEVELS[a.level],
            a.name_th,
            a.name_en,
            Status.ABOLISHED,
            a.parent_code,
            abolished_on=dt.date.fromisoformat(a.abolished_on),
        )
        for a in abolished_areas()
    ]


def _links() -> list[SuccessorLink]:
    return [
        SuccessorLink(
            abolished_code=a.code,
            successor_code=successor,
            abolished_on=dt.date.fromisoformat(a.abolished_on),
            basis=Basis(a.successors_basis or "name"),
            in_force_on=dt.date.fromisoformat(a.successors_in_force)
            if a.successors_in_force
            else None,
            source=a.successors_source,
        )
        for a in abolished_areas()
        for successor in a.successors
    ]
