"""Read DOPA's own code list (the CCAATT table, as CSV) and merge it into the registry.

The file has one row per 8-digit code ``CCAATTMM`` with its Thai name and a retire date
(empty while the code is in use), with or without a header; see
:mod:`central_codes.sources.ccaatt_format` for the accepted encodings, headers and dates.
Village codes (``MM`` other than ``00``) are counted and skipped: the registry holds no
villages yet.

Names are stored the way the registry already stores them. Its rows (first loaded from
``geothai``) carry no level word: "เชียงใหม่", not "จังหวัดเชียงใหม่"; "ศรีภูมิ", not
"ตำบลศรีภูมิ"; Bangkok's khwaeng "พระบรมมหาราชวัง", not "แขวงพระบรมมหาราชวัง". Bangkok's
districts are the exception: all read "เขตพระนคร", "เขตดุสิต", ... So the file's leading level
word is dropped, and a Bangkok district gets "เขต" whether the file writes it or not. Abbreviations ("อ.", "จ.")
are left alone: "จ.ป.ร." is a subdistrict's whole name. A name that differs from the
registry's only by its level word is not a rename, and the registry's spelling is kept (old
abolished rows such as "กิ่งอำเภอลืออำนาจ" keep theirs).

An import changes only what the file says: a code's status, retire date and Thai name (and
its English name when the file has a ``name_en`` column). Codes the file does not mention are
left as they are, and the postal codes and successor links of the codes it does mention are
carried over from the database, because the file holds neither.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from central_codes.codes import Level, parent_code
from central_codes.loading import LoadResult, Progress, load_registry
from central_codes.records import AreaRecord, RegistryData, Status
from central_codes.snapshot import Snapshot, read_snapshot
from central_codes.sources.ccaatt_format import (
    HEADERLESS,
    Columns,
    FormatError,
    bare_name,
    parse_ccaatt_code,
    parse_retire_date,
    read_table,
    registry_name,
)

__all__ = [
    "SOURCE_NAME",
    "CcaattReport",
    "ImportOutcome",
    "Problem",
    "ProblemKind",
    "import_ccaatt",
    "parse_ccaatt",
]

SOURCE_NAME = "dopa-ccaatt"
_SUMMARY_PROBLEMS = 20


class ProblemKind(enum.Enum):
    """What is wrong with a row, or with the whole file."""

    BAD_FILE = "bad file"
    BAD_ROW = "bad row"
    BAD_CODE = "bad code"
    DUPLICATE = "duplicate code"
    UNKNOWN_PARENT = "unknown parent"
    BAD_DATE = "bad date"
    EMPTY_NAME = "empty name"


@dataclass(frozen=True, slots=True)
class Problem:
    """One error found in the file; ``row`` counts from 1 with the header, 0 is the whole file."""

    row: int
    kind: ProblemKind
    detail: str

    def __str__(self) -> str:
        where = "file" if self.row == 0 else f"row {self.row}"
        return f"{where}: {self.kind.value}: {self.detail}"


@dataclass(frozen=True, slots=True)
class CcaattReport:
    """What a CCAATT file holds: the areas, and every problem found with its row."""

    data: RegistryData
    problems: tuple[Problem, ...] = ()
    rows: int = 0
    villages_skipped: int = 0

    @property
    def ok(self) -> bool:
        """True when the file has no errors and may be imported."""
        return not self.problems

    def summary(self) -> str:
        """A few lines for a terminal: counts, then the first problems."""
        levels = Counter(area.level for area in self.data.areas)
        retired = sum(1 for area in self.data.areas if area.status is Status.ABOLISHED)
        lines = [
            f"{self.data.source} {self.data.source_version}: {_counted(self.rows, 'row')}, "
            + ", ".join(_counted(levels[level], level.word) for level in Level)
            + f" ({retired} retired), {_counted(self.villages_skipped, 'village')} skipped",
            _counted(len(self.problems), "problem") if self.problems else "no problems",
        ]
        lines.extend(f"  {problem}" for problem in self.problems[:_SUMMARY_PROBLEMS])
        if len(self.problems) > _SUMMARY_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - _SUMMARY_PROBLEMS} more")
        return "\n".join(lines)


def _counted(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def parse_ccaatt(
    data: bytes, *, source_version: str, known_codes: Collection[str] = ()
) -> CcaattReport:
    """Read a CCAATT file; ``known_codes`` (registry codes) count as parents besides the file's."""
    try:
        columns, rows = read_table(data)
    except FormatError as exc:
        return _report(
            source_version, _Rows(HEADERLESS), [Problem(0, ProblemKind.BAD_FILE, str(exc))]
        )
    reader = _Rows(columns)
    for number, cells in rows:
        reader.add(number, cells)
    return _report(source_version, reader, reader.finish(known_codes), len(rows))


def _report(
    source_version: str, reader: _Rows, problems: list[Problem], rows: int = 0
) -> CcaattReport:
    data = RegistryData(SOURCE_NAME, source_version, tuple(area for _, area in reader.areas))
    return CcaattReport(data, tuple(problems), rows, reader.villages)


class _Rows:
    """Reads rows one at a time, keeping the areas and the problems found so far."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self.areas: list[tuple[int, AreaRecord]] = []
        self.problems: list[Problem] = []
        self.villages = 0
        self._seen: dict[str, int] = {}  # every well-formed code, with its first row

    def add(self, number: int, cells: list[str]) -> None:
        """Read one data row."""
        code = self._code(number, cells)
        if code is None:
            return
        if len(code) == 8:
            self.villages += 1
        elif code in self._seen:
            detail = f"{cells[self._columns.code]} is already on row {self._seen[code]}"
            self._problem(number, ProblemKind.DUPLICATE, detail)
        else:
            self._seen[code] = number
            self._area(number, code, cells)

    def _code(self, number: int, cells: list[str]) -> str | None:
        if len(cells) != self._columns.width:
            detail = f"{len(cells)} cells where the file has {self._columns.width} columns"
            self._problem(number, ProblemKind.BAD_ROW, detail)
            return None
        try:
            return parse_ccaatt_code(cells[self._columns.code])
        except ValueError as exc:
            self._problem(number, ProblemKind.BAD_CODE, str(exc))
            return None

    def _area(self, number: int, code: str, cells: list[str]) -> None:
        name_th = registry_name(code, cells[self._columns.name_th])
        if not name_th:
            self._problem(number, ProblemKind.EMPTY_NAME, f"{code} has no Thai name")
        try:
            retired_on = parse_retire_date(cells[self._columns.retired_on])
        except ValueError as exc:
            self._problem(number, ProblemKind.BAD_DATE, str(exc))
            return
        if name_th:
            self.areas.append((number, _record(code, name_th, self._name_en(cells), retired_on)))

    def _name_en(self, cells: list[str]) -> str | None:
        index = self._columns.name_en
        return (cells[index] or None) if index is not None else None

    def _problem(self, number: int, kind: ProblemKind, detail: str) -> None:
        self.problems.append(Problem(number, kind, detail))

    def finish(self, known_codes: Collection[str]) -> list[Problem]:
        """Every problem, by row, once all rows are read (a parent may come after its child)."""
        problems = [*self.problems, *self._unknown_parents(known_codes)]
        if not problems and not self.areas:
            detail = "no province, district or subdistrict codes"
            problems.append(Problem(0, ProblemKind.BAD_FILE, detail))
        return sorted(problems, key=lambda problem: problem.row)

    def _unknown_parents(self, known_codes: Collection[str]) -> Iterable[Problem]:
        """A problem for each area whose parent is neither in the file nor known."""
        known = frozenset(known_codes)
        for number, area in self.areas:
            parent = area.parent_code
            if parent is not None and parent not in self._seen and parent not in known:
                detail = f"{area.code}: no {Level(len(parent)).word} {parent}"
                yield Problem(number, ProblemKind.UNKNOWN_PARENT, detail)


def _record(code: str, name_th: str, name_en: str | None, retired_on: dt.date | None) -> AreaRecord:
    status = Status.ACTIVE if retired_on is None else Status.ABOLISHED
    level = Level(len(code))
    return AreaRecord(code, level, name_th, name_en, status, parent_code(code), retired_on)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import found and did: ``load`` is None when errors kept it from writing."""

    report: CcaattReport
    load: LoadResult | None = None

    @property
    def written(self) -> bool:
        """True when this import made a new release."""
        return self.load is not None and self.load.created

    def summary(self) -> str:
        """The report's summary and one line on what was written."""
        if self.load is None:
            outcome = "nothing written: fix the problems and import again"
        elif self.load.created:
            version, load = self.load.release.version, self.load
            outcome = f"release {version}: {load.inserted} codes added, {load.updated} changed"
        else:
            outcome = f"nothing changed: release {self.load.release.version} stays current"
        return f"{self.report.summary()}\n{outcome}"


async def import_ccaatt(
    engine: AsyncEngine, data: bytes, *, source_version: str, progress: Progress | None = None
) -> ImportOutcome:
    """Merge a CCAATT file into the registry; a file with any error writes nothing."""
    snapshot = await read_snapshot(engine)
    known = snapshot.areas.keys() if snapshot is not None else frozenset[str]()
    report = parse_ccaatt(data, source_version=source_version, known_codes=known)
    if not report.ok:
        return ImportOutcome(report)
    merged = report.data if snapshot is None else _merged(report.data, snapshot)
    return ImportOutcome(report, await load_registry(engine, merged, progress=progress))


def _merged(data: RegistryData, snapshot: Snapshot) -> RegistryData:
    """``data`` with what the file cannot say carried over from the registry.

    Loading replaces the postal codes and successor links of every code it is given.
    """
    areas = tuple(_carried_over(area, snapshot.areas.get(area.code)) for area in data.areas)
    codes = {area.code for area in areas}
    links = tuple(link for link in snapshot.links if link.abolished_code in codes)
    return dataclasses.replace(data, areas=areas, links=links)


def _carried_over(new: AreaRecord, old: AreaRecord | None) -> AreaRecord:
    if old is None:
        return new
    renamed = bare_name(new.level, new.name_th) != bare_name(old.level, old.name_th)
    return dataclasses.replace(
        new,
        name_th=new.name_th if renamed else old.name_th,
        name_en=new.name_en or old.name_en,
        postal_codes=old.postal_codes,
    )
