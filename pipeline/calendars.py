"""Calendar arithmetic: any calendar's day, month, year, decade or century as a Gregorian interval.

Conversions come from maintained libraries (jdatetime for Solar Hijri, convertdate's
arithmetic Islamic calendar for Hijri-qamari); this module only decides the interval's ends.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from functools import lru_cache

import jdatetime
from convertdate import islamic

Interval = tuple[dt.date, dt.date]
MONTHS_IN_YEAR = 12


def gregorian_interval(year: int, month: int | None = None, day: int | None = None) -> Interval:
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, _gregorian.monthrange(year, month)[1])
    d = dt.date(year, month, day)
    return d, d


def jalali_to_gregorian_interval(year: int, month: int | None = None, day: int | None = None) -> Interval:
    """A Jalali year runs 1 Farvardin to the last day of Esfand (29 or 30 in a leap year)."""
    first = jdatetime.date(year, month or 1, day or 1)
    if day is not None:
        last = first
    elif month is not None:
        last = jdatetime.date(year, month, jdatetime.j_days_in_month[month - 1] if month < 12 else (30 if first.isleap() else 29))
    else:
        last = jdatetime.date(year, 12, 30 if first.isleap() else 29)
    return first.togregorian(), last.togregorian()


def hijri_to_gregorian_interval(year: int, month: int | None = None, day: int | None = None) -> Interval:
    first_month, last_month = (month, month) if month else (1, 12)
    first_day = day or 1
    last_day = day or islamic.month_length(year, last_month)
    if not (1 <= first_month <= MONTHS_IN_YEAR and 1 <= first_day <= islamic.month_length(year, first_month)):
        raise ValueError(f"no Hijri date {year}-{month}-{day}")
    return (
        dt.date(*islamic.to_gregorian(year, first_month, first_day)),
        dt.date(*islamic.to_gregorian(year, last_month, last_day)),
    )


TO_GREGORIAN = {
    "gregorian": gregorian_interval,
    "jalali": jalali_to_gregorian_interval,
    "hijri": hijri_to_gregorian_interval,
}


@lru_cache(maxsize=1 << 14)
def calendar_interval(calendar: str, year: int, month: int | None = None, day: int | None = None) -> Interval:
    """The Gregorian interval of a date written in ``calendar``; ValueError if it does not exist.
    (Remembered: jdatetime spends most of a date's time setting up its locale.)"""
    return TO_GREGORIAN[calendar](year, month, day)


def span_interval(calendar: str, first: tuple, last: tuple) -> Interval:
    """From the start of ``first`` to the end of ``last``, each (year[, month[, day]]) in ``calendar``."""
    start, _ = calendar_interval(calendar, *first)
    _, end = calendar_interval(calendar, *last)
    if end < start:
        raise ValueError(f"{first} comes after {last}")
    return start, end


def shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    """The month ``offset`` months after (year, month), in any twelve-month calendar."""
    index = year * MONTHS_IN_YEAR + (month - 1) + offset
    return index // MONTHS_IN_YEAR, index % MONTHS_IN_YEAR + 1


@lru_cache(maxsize=1 << 14)
def from_gregorian(calendar: str, day: dt.date) -> tuple[int, int, int]:
    """A Gregorian day as (year, month, day) of ``calendar``."""
    if calendar == "jalali":
        j = jdatetime.date.fromgregorian(date=day)
        return j.year, j.month, j.day
    if calendar == "hijri":
        return islamic.from_gregorian(day.year, day.month, day.day)
    return day.year, day.month, day.day


def century_interval(calendar: str, century: int) -> Interval:
    """The n-th century runs from year (n-1)*100+1 to year n*100 (سده هجدهم = 1701-1800)."""
    return span_interval(calendar, ((century - 1) * 100 + 1,), (century * 100,))
