"""Calendar arithmetic: any calendar's day, month, year, decade or century as a Gregorian interval.

Conversions come from maintained libraries (jdatetime for Solar Hijri, convertdate's
arithmetic Islamic calendar for Hijri-qamari); this module only decides the interval's ends.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt

import jdatetime
from convertdate import islamic

Interval = tuple[dt.date, dt.date]


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
    return (
        dt.date(*islamic.to_gregorian(year, first_month, first_day)),
        dt.date(*islamic.to_gregorian(year, last_month, last_day)),
    )


TO_GREGORIAN = {
    "gregorian": gregorian_interval,
    "jalali": jalali_to_gregorian_interval,
    "hijri": hijri_to_gregorian_interval,
}


def calendar_interval(calendar: str, year: int, month: int | None = None, day: int | None = None) -> Interval:
    """The Gregorian interval of a date written in ``calendar``; ValueError if it does not exist."""
    return TO_GREGORIAN[calendar](year, month, day)
