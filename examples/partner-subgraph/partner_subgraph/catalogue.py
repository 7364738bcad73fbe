"""The partner's own data: OTOP products by subdistrict code, read once from a CSV file.

Each product names the service point (CITIZENinfo's ``pointId``) where it was registered: the
district office that houses the district's community development office. The ids in the
shipped file are those of the CITIZENinfo sandbox's district offices.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Final

__all__ = [
    "DEFAULT_CSV",
    "Catalogue",
    "CatalogueError",
    "OtopCategory",
    "OtopProductRecord",
    "read_catalogue",
]

DEFAULT_CSV: Final = Path(__file__).with_name("otop_products.csv")
_SUBDISTRICT_CODE = re.compile(r"[0-9]{6}")
_COLUMNS = ("subdistrict_code", "name_th", "name_en", "category", "stars", "registered_at")


class OtopCategory(Enum):
    """OTOP's five product categories."""

    FOOD = "FOOD"
    BEVERAGE = "BEVERAGE"
    TEXTILE = "TEXTILE"
    HOUSEWARE = "HOUSEWARE"
    HERBAL = "HERBAL"


@dataclass(frozen=True)
class OtopProductRecord:
    """One registered product and the subdistrict that makes it."""

    subdistrict_code: str
    name_th: str
    name_en: str
    category: OtopCategory
    stars: int
    registered_at: str  # a service point's id


@dataclass(frozen=True)
class Catalogue:
    """Every product, best rated first, and indexes by subdistrict code and service point."""

    products: tuple[OtopProductRecord, ...]
    by_subdistrict: dict[str, tuple[OtopProductRecord, ...]] = field(init=False)
    by_point: dict[str, tuple[OtopProductRecord, ...]] = field(init=False)

    def __post_init__(self) -> None:
        ranked = tuple(sorted(self.products, key=lambda p: (-p.stars, p.name_en)))
        object.__setattr__(self, "products", ranked)
        object.__setattr__(self, "by_subdistrict", _index(ranked, lambda p: p.subdistrict_code))
        object.__setattr__(self, "by_point", _index(ranked, lambda p: p.registered_at))

    def of_subdistrict(self, code: str) -> tuple[OtopProductRecord, ...]:
        """The products of one subdistrict, best rated first; none for an unknown code."""
        return self.by_subdistrict.get(code, ())

    def registered_at(self, point_id: str) -> tuple[OtopProductRecord, ...]:
        """The products registered at one service point, best rated first."""
        return self.by_point.get(point_id, ())


def _index(
    products: Iterable[OtopProductRecord], key: Callable[[OtopProductRecord], str]
) -> dict[str, tuple[OtopProductRecord, ...]]:
    index: dict[str, list[OtopProductRecord]] = {}
    for product in products:
        index.setdefault(key(product), []).append(product)
    return {k: tuple(v) for k, v in index.items()}


class CatalogueError(ValueError):
    """A row of the catalogue file that cannot be read, named by its line."""


def read_catalogue(path: Path = DEFAULT_CSV) -> Catalogue:
    """The catalogue in ``path`` (UTF-8 CSV); a bad row fails with its line number."""
    with path.open(encoding="utf-8", newline="") as file:
        return Catalogue(tuple(_records(csv.DictReader(file))))


def _records(rows: Iterable[dict[str, str]]) -> Iterable[OtopProductRecord]:
    for line, row in enumerate(rows, start=2):
        try:
            yield _record(row)
        except ValueError as error:
            raise CatalogueError(f"line {line}: {error}") from error


def _record(row: dict[str, str]) -> OtopProductRecord:
    missing = [name for name in _COLUMNS if not row.get(name)]
    if missing:
        raise ValueError(f"no {', '.join(missing)}")
    code = row["subdistrict_code"]
    if not _SUBDISTRICT_CODE.fullmatch(code):
        raise ValueError(f"subdistrict_code {code!r} is not 6 digits")
    stars = int(row["stars"])
    if not 1 <= stars <= 5:
        raise ValueError(f"stars {stars} is not 1 to 5")
    category = OtopCategory(row["category"])
    point = str(uuid.UUID(row["registered_at"]))  # a malformed id fails here
    return OtopProductRecord(code, row["name_th"], row["name_en"], category, stars, point)
