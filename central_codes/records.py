"""Plain, immutable records of registry content: what loaders write and snapshots hold."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass, field

from central_codes.codes import Level

__all__ = [
    "AreaRecord",
    "Basis",
    "CrosswalkRecord",
    "RegistryData",
    "ReleaseInfo",
    "Status",
    "SuccessorLink",
]


class Status(enum.Enum):
    """Whether a code is in use."""

    ACTIVE = "ACTIVE"
    ABOLISHED = "ABOLISHED"


class Basis(enum.Enum):
    """Why we believe an abolished code became its successor."""

    NOTICE = "notice"  # a reviewed legal notice (Royal Gazette, BMA announcement)
    NAME = "name"  # the one active area with the same Thai name nearby: likely, not proven
    IMPORT = "import"  # stated by an imported DOPA code list


@dataclass(frozen=True, slots=True)
class AreaRecord:
    """One area as the registry knows it."""

    code: str
    level: Level
    name_th: str
    name_en: str | None
    status: Status
    parent_code: str | None
    abolished_on: dt.date | None = None
    postal_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SuccessorLink:
    """An abolished code and one code that took its place."""

    abolished_code: str
    successor_code: str
    abolished_on: dt.date
    basis: Basis
    in_force_on: dt.date | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class CrosswalkRecord:
    """A code of another system that stands for one of our areas."""

    system: str
    external_code: str
    area_code: str
    source: str
    as_of: dt.date


@dataclass(frozen=True, slots=True)
class RegistryData:
    """Everything one source says about the registry, ready to be loaded."""

    source: str
    source_version: str
    areas: tuple[AreaRecord, ...]
    links: tuple[SuccessorLink, ...] = ()
    crosswalks: tuple[CrosswalkRecord, ...] = ()

    def content_hash(self) -> str:
        """A digest of the content (not of the source's name), to tell whether anything changed."""
        digest = hashlib.sha256()
        for area in sorted(self.areas, key=lambda a: a.code):
            digest.update(repr(area).encode())
        for link in sorted(self.links, key=lambda k: (k.abolished_code, k.successor_code)):
            digest.update(repr(link).encode())
        for walk in sorted(self.crosswalks, key=lambda c: (c.system, c.external_code)):
            digest.update(repr(walk).encode())
        return digest.hexdigest()

    def count(self, level: Level, status: Status = Status.ACTIVE) -> int:
        """How many areas of a level have a status."""
        return sum(1 for a in self.areas if a.level is level and a.status is status)


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """One registry release as recorded in the database."""

    id: int
    version: str
    source: str
    source_version: str
    content_hash: str
    loaded_at: dt.datetime
    provinces: int
    districts: int
    subdistricts: int
    abolished: int
    extra: dict[str, str] = field(default_factory=dict)
