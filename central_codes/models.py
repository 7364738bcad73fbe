"""SQLAlchemy 2 models of the registry.

The tables hold the current state of every code ever issued (codes are never deleted: an
abolished one keeps its row with ``status = ABOLISHED``); ``registry_releases`` records each
change of that state, and ``code_history`` links abolished codes to their successors.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Area", "Base", "CodeHistory", "Crosswalk", "PostalCode", "RegistryRelease"]


class Base(DeclarativeBase):
    """Declarative base of every registry table."""


class RegistryRelease(Base):
    """One version of the registry: made by a load that changed something."""

    __tablename__ = "registry_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(String(64))
    source_version: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    provinces: Mapped[int] = mapped_column(Integer)
    districts: Mapped[int] = mapped_column(Integer)
    subdistricts: Mapped[int] = mapped_column(Integer)
    abolished: Mapped[int] = mapped_column(Integer)


class Area(Base):
    """A province, district or subdistrict, active or abolished, keyed by its DOPA code."""

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    level: Mapped[str] = mapped_column(String(12))
    parent_code: Mapped[str | None] = mapped_column(
        String(6), ForeignKey("areas.code"), nullable=True
    )
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status: Mapped[str] = mapped_column(String(10))
    abolished_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    changed_in_release: Mapped[int] = mapped_column(ForeignKey("registry_releases.id"))

    __table_args__ = (Index("ix_areas_parent_code", "parent_code"),)


class PostalCode(Base):
    """A Thailand Post code used in (part of) a subdistrict."""

    __tablename__ = "postal_codes"

    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    postal_code: Mapped[str] = mapped_column(String(5), primary_key=True)

    __table_args__ = (Index("ix_postal_codes_postal_code", "postal_code"),)


class CodeHistory(Base):
    """One link from an abolished code to a code that took its place."""

    __tablename__ = "code_history"

    abolished_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    successor_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    abolished_on: Mapped[dt.date] = mapped_column(Date)
    in_force_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    basis: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(Text, nullable=True)


class Crosswalk(Base):
    """A code of another system (ISO 3166-2, Department of Lands, ...) for one of our areas."""

    __tablename__ = "crosswalks"

    system: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    source: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (Index("ix_crosswalks_area_code", "area_code"),)


class SupplierOverride(Base):
    """The water or electricity supplier of one subdistrict where the province rule is wrong."""

    __tablename__ = "supplier_overrides"

    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    supplier: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[dt.date] = mapped_column(Date)
