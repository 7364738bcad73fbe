"""The shape of DOPA's CCAATT code list: text encoding, columns, codes, dates and names.

Pure functions over one file's bytes and cells; :mod:`central_codes.sources.ccaatt` builds the
report and the import on them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from central_codes.codes import Level

__all__ = [
    "HEADERLESS",
    "Columns",
    "FormatError",
    "bare_name",
    "decode_text",
    "parse_ccaatt_code",
    "parse_retire_date",
    "read_table",
    "registry_name",
]

BUDDHIST_ERA_OFFSET = 543
_BUDDHIST_ERA_FROM = 2400  # a later year is a Buddhist-era year


class FormatError(ValueError):
    """A file that cannot be read as a CCAATT table at all (encoding, header, no rows)."""


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each field sits in a row, and how many cells a row has."""

    code: int
    name_th: int
    retired_on: int
    name_en: int | None
    width: int


HEADERLESS = Columns(code=0, name_th=1, retired_on=2, name_en=None, width=3)

_HEADER_NAMES = {
    "code": frozenset({"code", "รหัส", "ccaattmm", "ccaatt"}),
    "name_th": frozenset({"name_th", "ชื่อ", "name"}),
    "retired_on": frozenset({"retired_on", "วันที่ยกเลิก"}),
    "name_en": frozenset({"name_en"}),
}


def read_table(data: bytes) -> tuple[Columns, list[tuple[int, list[str]]]]:
    """The columns and the non-blank data rows, each with its 1-based row number in the file."""
    text = decode_text(data)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FormatError(f"not a CSV file: {exc}") from exc
    rows = [
        (number, [cell.strip() for cell in cells])
        for number, cells in enumerate(records, start=1)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise FormatError("the file holds no rows")
    columns = _header(rows[0][1])
    return (HEADERLESS, rows) if columns is None else (columns, rows[1:])


def decode_text(data: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped), else TIS-620 in its Windows form, cp874."""
    if b"\x00" in data:  # a spreadsheet saved in its own format, or UTF-16: not our CSV
        raise FormatError("the file holds NUL bytes: not a UTF-8 or TIS-620 CSV file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")
    except UnicodeDecodeError as exc:
        raise FormatError(f"neither UTF-8 nor TIS-620 text (byte {exc.start})") from exc


def _header(cells: Sequence[str]) -> Columns | None:
    """The columns a header row names, or None when the first row is data."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for field, names in _HEADER_NAMES.items():
            if cell.lower() in names:
                found.setdefault(field, index)
    if not found:
        return None
    missing = [field for field in ("code", "name_th", "retired_on") if field not in found]
    if missing:
        raise FormatError(f"the header names no column for {', '.join(missing)}")
    return Columns(
        found["code"], found["name_th"], found["retired_on"], found.get("name_en"), len(cells)
    )


def parse_ccaatt_code(text: str) -> str:
    """The registry form of an 8-digit ``CCAATTMM`` code; a village code keeps its 8 digits.

    >>> parse_ccaatt_code("84050300")
    '840503'
    """
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        raise ValueError(f"{text[:20]!r} is not an 8-digit CCAATTMM code")
    pairs = [text[start : start + 2] for start in range(0, 8, 2)]
    depth = pairs.index("00") if "00" in pairs else len(pairs)
    if depth == 0 or any(pair != "00" for pair in pairs[depth:]):
        raise ValueError(f"{text!r} has a part 00 above a non-zero part")
    return text[: 2 * depth]


_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"),
)


def parse_retire_date(text: str) -> dt.date | None:
    """A retire date (``YYYY-MM-DD``, ``YYYYMMDD``, ``DD/MM/YYYY``), or None for an empty cell.

    Years after 2400 are Buddhist era; Thai digits are read like ASCII ones.

    >>> parse_retire_date("11/03/2558")
    datetime.date(2015, 3, 11)
    """
    if not text:
        return None
    for form in _DATE_FORMS:
        if (match := form.fullmatch(text)) is not None:
            year = int(match["y"])
            if year > _BUDDHIST_ERA_FROM:  # before making a date: 29/02/2563 is 2020, a leap year
                year -= BUDDHIST_ERA_OFFSET
            try:
                return dt.date(year, int(match["m"]), int(match["d"]))
            except ValueError:
                break
    raise ValueError(f"{text[:20]!r} is not a date (YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY)")


_LEVEL_WORDS = {
    Level.PROVINCE: re.compile(r"^จังหวัด\s*"),
    Level.DISTRICT: re.compile(r"^(?:กิ่งอำเภอ|อำเภอ|เขต)\s*"),
    Level.SUBDISTRICT: re.compile(r"^(?:ตำบล|แขวง)\s*"),
}
_BANGKOK = "10"
_BANGKOK_DISTRICT_WORD = "เขต"


def bare_name(level: Level, name: str) -> str:
    """``name`` without the level word it may start with ("อำเภอเกาะพะงัน" -> "เกาะพะงัน")."""
    return _LEVEL_WORDS[level].sub("", name.strip()).strip()


def registry_name(code: str, name: str) -> str:
    """A Thai name as the registry stores it: no level word, except "เขต" on Bangkok districts."""
    level = Level(len(code))
    bare = bare_name(level, name)
    if bare and level is Level.DISTRICT and code.startswith(_BANGKOK):
        return _BANGKOK_DISTRICT_WORD + bare
    return bare
