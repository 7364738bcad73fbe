"""The registered population the DOPA statistics sandbox publishes: pure, deterministic figures.

Every figure starts at a subdistrict (tambon) and is fixed by the seed, the code and the month:

- a base population from ``data.rng("dopa_stat", code)``: log-normal around 7,000 people
  (24,000 in Bangkok's khwaeng), within 800-150,000; a monthly trend of -0.15 % to +0.2 %
  counted from :data:`TREND_ORIGIN`; a jitter of a few people per month
  (``data.rng("dopa_stat", code, yymm)``);
- the male share (47.5-50.5 %) and people per house (2.2-3.4) from the same base generator;
- ages 0-101 (101 = over 100) from a national age pyramid, perturbed per tambon and sex,
  apportioned so that they add up exactly to the tambon's male and female counts;
- villages (``mm`` 01-18; none in Bangkok) that split the tambon's men and women exactly.

Districts and provinces are sums of their active subdistricts, so figures add up across levels.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from central_codes.records import AreaRecord
from sandbox.agencies._thai_time import month_index
from sandbox.data import SandboxData

__all__ = [
    "AGES",
    "TREND_ORIGIN",
    "Figures",
    "Village",
    "age_counts",
    "apportion",
    "population_for",
    "subdistricts_under",
    "tambon_figures",
    "villages_for",
]

AGES = 102  # lsAge0 .. lsAge101
TREND_ORIGIN = "6101"  # January 2561 BE (2018)
_PREFIXES = ("หนอง", "โนน", "ดอน", "นา", "โคก", "ห้วย", "บ่อ", "ทุ่ง", "ป่า", "ท่า", "วัง", "สระ")
_SUFFIXES = ("แก้ว", "ใหญ่", "น้อย", "ทอง", "ยาง", "ไผ่", "บัว", "สะแก", "ม่วง", "หิน", "ใหม่", "กลาง")


@dataclass(frozen=True, slots=True)
class Figures:
    """Registered men, women and houses of an area in one month."""

    male: int
    female: int
    houses: int

    @property
    def total(self) -> int:
        """Men and women."""
        return self.male + self.female

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.male + other.male, self.female + other.female, self.houses + other.houses
        )


@dataclass(frozen=True, slots=True)
class Village:
    """One village (muban) of a tambon in one month."""

    code: str  # CCAATTMM
    name: str
    male: int
    female: int


@dataclass(frozen=True, slots=True)
class _Profile:
    base: float
    trend: float
    male_share: float
    per_house: float


def _profile(data: SandboxData, code: str) -> _Profile:
    rng = data.rng("dopa_stat", code)
    median = 24_000 if code.startswith("10") else 7_000
    base = min(150_000.0, max(800.0, rng.lognormvariate(math.log(median), 0.55)))
    return _Profile(
        base, rng.uniform(-0.0015, 0.002), rng.uniform(0.475, 0.505), rng.uniform(2.2, 3.4)
    )


@functools.lru_cache(maxsize=65_536)
def tambon_figures(data: SandboxData, code: str, yymm: str) -> Figures:
    """The figures of one subdistrict (6-digit code) in one month."""
    profile = _profile(data, code)
    months = month_index(yymm) - month_index(TREND_ORIGIN)
    jitter = data.rng("dopa_stat", code, yymm).randint(-4, 4)
    total = max(100, round(profile.base * (1 + profile.trend * months)) + jitter)
    male = round(total * profile.male_share)
    return Figures(male, total - male, max(1, round(total / profile.per_house)))


def subdistricts_under(data: SandboxData, code: str) -> list[AreaRecord]:
    """The active subdistricts of a province, district or subdistrict (by code)."""
    found = data.snapshot.subdistricts_by_province.get(code[:2], ())
    return [area for area in found if area.code.startswith(code)]


def population_for(data: SandboxData, code: str, yymm: str) -> Figures | None:
    """The sum over an area's active subdistricts, or None when it has none."""
    areas = subdistricts_under(data, code)
    if not areas:
        return None
    return functools.reduce(Figures.__add__, (tambon_figures(data, a.code, yymm) for a in areas))


def _pyramid(age: int, sex: int) -> float:
    # A 2020s Thai shape: small young cohorts, a bulge at 35-60, women outliving men.
    # Age 101 ("over 100") is a flat share: the register keeps many who were never struck off.
    if age == 101:
        return 0.05
    weight = 1.0 + 0.5 * math.exp(-(((age - 47) / 17) ** 2))
    if age >= 60:
        weight *= math.exp(-(((age - 60) / (16 if sex == 2 else 13)) ** 1.5))
    return weight


@functools.lru_cache(maxsize=16_384)
def _age_weights(data: SandboxData, code: str, sex: int) -> tuple[float, ...]:
    rng = data.rng("dopa_stat", code, "ages", str(sex))
    return tuple(_pyramid(age, sex) * rng.uniform(0.85, 1.15) for age in range(AGES))


def apportion(total: int, weights: tuple[float, ...] | list[float]) -> list[int]:
    """Whole shares of ``total`` in proportion to ``weights`` (largest remainder; exact sum)."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    shares = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


@functools.lru_cache(maxsize=16_384)
def _tambon_ages(data: SandboxData, code: str, yymm: str, sex: int) -> tuple[int, ...]:
    figures = tambon_figures(data, code, yymm)
    count = figures.male if sex == 1 else figures.female
    return tuple(apportion(count, _age_weights(data, code, sex)))


def age_counts(data: SandboxData, code: str, yymm: str, sex: int) -> list[int]:
    """People aged 0..101 of one sex (1 male, 2 female), summed over the area's subdistricts."""
    counts = [0] * AGES
    for area in subdistricts_under(data, code):
        for age, count in enumerate(_tambon_ages(data, area.code, yymm, sex)):
            counts[age] += count
    return counts


def villages_for(data: SandboxData, code: str, yymm: str) -> list[Village]:
    """The villages of one subdistrict in one month (none in Bangkok), adding up to the tambon."""
    if code.startswith("10"):
        return []
    rng = data.rng("dopa_stat", code, "villages")
    count = rng.randint(4, 18)
    weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
    names = [f"บ้าน{rng.choice(_PREFIXES)}{rng.choice(_SUFFIXES)}" for _ in range(count)]
    figures = tambon_figures(data, code, yymm)
    men, women = apportion(figures.male, weights), apportion(figures.female, weights)
    return [Village(f"{code}{i + 1:02d}", names[i], men[i], women[i]) for i in range(count)]
