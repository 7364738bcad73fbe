"""Thai time for the sandbox agencies: Bangkok's clock and Buddhist-era months and dates.

A DOPA month ``yymm`` is the last two digits of the Buddhist-era year and the month:
``6812`` is December 2568 BE, December 2025. Two-digit years are read as 25yy BE.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "BANGKOK",
    "BE_OFFSET",
    "bangkok_now",
    "be_date",
    "month_index",
    "months",
    "parse_yymm",
    "yymm_from_index",
    "yymm_of",
]

BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")
BE_OFFSET = 543


def bangkok_now() -> dt.datetime:
    """The current time in Bangkok (UTC+7, no daylight saving)."""
    return dt.datetime.now(BANGKOK)


def be_date(day: dt.date) -> str:
    """``YYYYMMDD`` in the Buddhist era (``2568-12-31`` for 31 December 2025)."""
    return f"{day.year + BE_OFFSET:04d}{day.month:02d}{day.day:02d}"


def yymm_of(year_ce: int, month: int) -> str:
    """The DOPA month of a Common-Era year and month (2025, 12 -> ``"6812"``)."""
    return f"{(year_ce + BE_OFFSET) % 100:02d}{month:02d}"


def parse_yymm(text: str | None) -> str | None:
    """``text`` when it is a well-formed DOPA month (four digits, month 01-12), else None."""
    if text is None or len(text) != 4 or not (text.isascii() and text.isdigit()):
        return None
    return text if 1 <= int(text[2:]) <= 12 else None


def month_index(yymm: str) -> int:
    """A running month number, so that months can be compared and counted."""
    return (2500 + int(yymm[:2])) * 12 + int(yymm[2:]) - 1


def yymm_from_index(index: int) -> str:
    """The inverse of :func:`month_index`."""
    year_be, month0 = divmod(index, 12)
    return f"{year_be % 100:02d}{month0 + 1:02d}"


def months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive (empty when ``first`` is later)."""
    return [yymm_from_index(i) for i in range(month_index(first), month_index(last) + 1)]
