"""Date producers: a match of rules/date.yaml → its Gregorian interval, calendar and precision.

Which calendar a year or month belongs to is read from the rules (month lexicons, the
``jalali_year``/``gregorian_year`` macros, calendar words); the arithmetic is pipeline/calendars.py.
Dates that leave their year or the whole date open are anchored on the article's dateline
(``MatchContext.dateline``); without one they keep an empty interval.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.cache import compiled
from pipeline.calendars import (
    calendar_interval,
    century_interval,
    from_gregorian,
    shift_month,
    span_interval,
)
from pipeline.facttypes import MatchContext, finalizer, producer
from pipeline.normalize import fold_table
from pipeline.numbers import parse_number
from pipeline.rules import RuleSet

MONTH_LEXICONS = {"jalali": "jalali_month", "hijri": "hijri_month", "gregorian": "gregorian_month"}
YEAR_CALENDARS = ("jalali", "gregorian")  # each has a ``<calendar>_year`` macro in rules/macros.yaml
MONTH_WORD = re.compile(r"^ماه[\s\u200c]+|[\s\u200c]?ماه$")  # "مهرماه", "ماه مه" name the month
YEAR_WORD = re.compile(r"^سال[\s\u200c]*")
HALF_YEAR_FIRST = ("نخست", "اول")
SATURDAY = 6  # ISO weekday that begins the Persian week
WEEK_WORDS = re.compile(r"^(?:(?:این|همین)[\s\u200c]+)?هفته[\s\u200c]*")  # "هفته گذشته" → "گذشته"
HYPHEN = re.compile("[-–]")
# A day and month without a year read a small cardinal in words only as a count (سه تیر: three
# bullets, دو دی); from ten on it is a day (پانزده خرداد, بیست و سه بهمن).
MIN_DAY_IN_WORDS = 10
WORD_YEAR_TWO_DIGITS = 50  # the smallest year in words read as a two-digit Jalali year
PERIOD_UNITS = {"سال": "year", "ماه": "month", "هفته": "week", "روز": "day"}


# Rules whose dates are read from the article's anchor day (a dateline or a published field).
ANCHORED_RULES = ("date.anchored.", "date.relative.")
# Where a fact's anchor came from a table's `published` field, its rule id says so.
PUBLISHED_ANCHOR = "@published"
PERIOD_PART_REACH = 20  # how far before a date a word of rules/lexicons/period_part.yaml is looked for
# A table's published field (folded): 2024-07-30, 2024-07-30T10:00:00Z, 1384/02/17.
PUBLISHED_DATE = re.compile(r"\s*(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")


def date_producer(name: str):
    """Register a date producer. A date that does not exist (30 Esfand of a common year) is no fact,
    nor is one that a word before it makes a name (group ``name_before``: خیابان ۱۷ شهریور).
    A clock time written with the date (group ``time``) fills the ``time`` column."""

    def register(fn):
        def produce(m, ctx):
            if m.groupdict().get("name_before"):
                return None
            try:
                values = fn(m, ctx)
            except ValueError:
                return None
            if values is not None and m.groupdict().get("time"):
                values["time"] = read_clock_time(m, ctx)
            return values

        return producer("date", name)(produce)

    return register


def read_clock_time(m, ctx: MatchContext) -> str | None:
    """The clock time of groups ``time`` and ``meridiem``: "4 : 58 : 18 PM" → "16:58:18"."""
    written = m.groupdict().get("time")
    if not written:
        return None
    hour, *rest = (int(part) for part in re.split(r"[ \t]*:[ \t]*", written.strip()))
    if ctx.lexicon_value("meridiem", m.groupdict().get("meridiem")) == "pm" and hour < 12:
        hour += 12
    return ":".join(f"{part:02d}" for part in (hour, *rest))


def _fact(interval, calendar: str | None, precision: str) -> dict:
    start, end = interval or (None, None)
    return {"date_start": start, "date_end": end, "calendar": calendar, "precision": precision}


def _is_macro(ctx: MatchContext, name: str, text: str) -> bool:
    return compiled(ctx.rules.macros[name]).fullmatch(text) is not None


def read_month(ctx: MatchContext, surface: str | None) -> tuple[str, int] | None:
    """(calendar, month number) of a month name; the lexicon that knows it decides the calendar."""
    if not surface:
        return None
    name = MONTH_WORD.sub("", surface.strip())
    for calendar, lexicon in MONTH_LEXICONS.items():
        value = ctx.lexicon_value(lexicon, name)
        if value is not None:
            return calendar, int(value)
    return None


def day_group(m) -> str:
    """The day of a match of ``{day_before_month}``: ``۲۱``, ``بیست و سه``, or ``سی‌ویکمین`` (روز ...)."""
    return m.group("day") or m.groupdict().get("day_ordinal")


def read_day(ctx: MatchContext, surface: str) -> int:
    surface = surface.strip()
    if surface.isdigit():
        return int(surface)
    value = ctx.lexicon_value("ordinal", surface)
    if value is None:
        number = parse_number(surface, ctx.rules.lexicons)
        value = number.value if number else None
    if value is None or not 1 <= value <= 31 or value != int(value):
        raise ValueError(f"not a day of the month: {surface!r}")
    return int(value)


def is_cardinal_word(ctx: MatchContext, surface: str) -> bool:
    """A day written as a cardinal number in words (بیست و سه), not digits or an ordinal (سوم)."""
    surface = surface.strip()
    return not surface[0].isdigit() and ctx.lexicon_value("ordinal", surface) is None


def cue_calendar(ctx: MatchContext, cue: str | None) -> str | None:
    return ctx.lexicon_value("calendar_cue", cue.strip()) if cue else None


def read_year(ctx: MatchContext, text: str, cue: str | None = None, calendar: str | None = None) -> tuple[str, int]:
    """(calendar, year) of a written year, by the rules' year ranges unless a word or month says
    otherwise. A calendar word makes a short year that very year (سال ۱۰ هجری شمسی is 10, not 1410);
    without one, or with a month, two digits abbreviate a Jalali year (سال ۹۵, فروردین ۸۶)."""
    said = cue_calendar(ctx, cue)
    if said and calendar and said != calendar:
        raise ValueError(f"{text}: calendar word says {said}, month says {calendar}")
    if said and not calendar and len(text) < 4:
        return said, int(text)
    calendar = calendar or said
    if len(text) == 2:
        if calendar not in (None, "jalali"):
            raise ValueError(f"a two-digit year is Jalali, not {calendar}")
        return "jalali", int(text) + (1400 if _is_macro(ctx, "jalali_two_digit_1400s", text) else 1300)
    by_range = next((c for c in YEAR_CALENDARS if _is_macro(ctx, f"{c}_year", text)), None)
    if calendar is None and by_range is None:
        raise ValueError(f"{text} is not a year of any calendar")
    if calendar and not said and calendar != "hijri" and calendar != by_range:
        raise ValueError(f"{text} is not a {calendar} year")  # ژوئن ۱۴۰۰
    return calendar or by_range, int(text)


def _month_and_year(m, ctx, month_group="month") -> tuple[str, int, int]:
    month = read_month(ctx, m.group(month_group))
    if month is None:
        raise ValueError("no month")
    calendar, year = read_year(ctx, m.group("year"), m.groupdict().get("cue"), month[0])
    return calendar, month[1], year


# --- absolute dates ---------------------------------------------------------------------------


@date_producer("numeric")
def numeric(m, ctx):
    """Digits only: the year (or a calendar word) says the calendar; a middle part above 12 is the
    day (US order). A two-digit year takes slashes, or dots after a weekday (rules/date.yaml)."""
    sep = m.group("sep")
    if len(m.group("year")) == 2 and ("-" in sep or ("." in sep and not m.groupdict().get("weekday"))):
        return None
    calendar, year = read_year(ctx, m.group("year"), m.group("cue"))
    month, day = int(m.group("month")), int(m.group("day"))
    if month > 12 and day <= 12:
        month, day = day, month
    return _fact(calendar_interval(calendar, year, month, day), calendar, "day")


@date_producer("day_month_year")
def day_month_year(m, ctx):
    calendar, month, year = _month_and_year(m, ctx)
    return _fact(calendar_interval(calendar, year, month, read_day(ctx, day_group(m))), calendar, "day")


@date_producer("month_year")
def month_year(m, ctx):
    calendar, month, year = _month_and_year(m, ctx)
    return _fact(calendar_interval(calendar, year, month), calendar, "month")


@date_producer("year")
def year(m, ctx):
    calendar, value = read_year(ctx, m.group("year"), m.groupdict().get("cue"))
    return _fact(calendar_interval(calendar, value), calendar, "year")


@date_producer("year_range")
def year_range(m, ctx):
    first, second = m.group("year"), m.group("year2")
    if len(first) == 2 and not m.group("sal"):
        return None  # "۱۲ تا ۱۵" is two numbers unless سال says they are years
    cue = m.group("cue") or m.group("cue1")
    calendar, low = read_year(ctx, first, cue)
    if len(second) == 2 and len(first) == 4:
        high = low // 100 * 100 + int(second)  # سال ۱۳۹۲ - ۹۳
    else:
        calendar_2, high = read_year(ctx, second, cue)
        if calendar_2 != calendar:
            return None
        if high < low and len(first) == len(second) == 4:
            low, high = high, low  # "2015 - 2013 میلادی"
    if high <= low:
        return None
    return _fact(span_interval(calendar, (low,), (high,)), calendar, "year")


@date_producer("month_range")
def month_range(m, ctx):
    calendar, last_month, last_year = _month_and_year(m, ctx, "month2")
    first = read_month(ctx, m.group("month"))
    if first is None or first[0] != calendar:
        return None
    if m.group("year1"):
        _, first_year = read_year(ctx, m.group("year1"), calendar=calendar)
    else:
        first_year = last_year if first[1] <= last_month else last_year - 1  # دسامبر تا فوریه ۲۰۲۰
    return _fact(span_interval(calendar, (first_year, first[1]), (last_year, last_month)), calendar, "month")


@date_producer("day_range")
def day_range(m, ctx):
    last = read_month(ctx, m.group("month2"))
    first = read_month(ctx, m.group("month")) or last
    if last is None or first[0] != last[0]:
        return None
    calendar = last[0]
    first_day, last_day = read_day(ctx, m.group("day")), read_day(ctx, m.group("day2"))
    between = m.string[m.end("day") : m.start("day2")]
    if not m.group("month") and first_day > last_day and HYPHEN.search(between):
        first_day, last_day = last_day, first_day  # 20-18 اکتبر: written right to left
    if m.groupdict().get("year"):
        _, last_year = read_year(ctx, m.group("year"), m.group("cue"), calendar)
    else:
        last_year = anchored_year(ctx, calendar, last[1], last_day)
        if last_year is None:
            return _fact(None, calendar, "day")
    first_year = last_year if first[1] <= last[1] else last_year - 1
    interval = span_interval(calendar, (first_year, first[1], first_day), (last_year, last[1], last_day))
    return _fact(interval, calendar, "day") if interval[0] < interval[1] else None


def _decade_start(ctx: MatchContext, text: str, cue: str | None) -> tuple[str, int] | None:
    """(calendar, first year) of a decade as written: ۱۹۹۰, ۹۰ (the 1390s), هفتاد; None if not one."""
    if not text.isdigit():  # دهه هفتاد
        number = parse_number(text, ctx.rules.lexicons)
        text = f"{int(number.value):02d}" if number and number.value < 100 else ""
    if not text.endswith("0"):
        return None
    said = cue_calendar(ctx, cue)
    if len(text) == 2 and said == "gregorian":
        return "gregorian", 1900 + int(text)
    if len(text) == 2 and said in (None, "jalali"):
        return read_year(ctx, text)  # دهه ۶۰ شمسی: the 1360s
    return read_year(ctx, text, cue)


@date_producer("decade")
def decade(m, ctx):
    """دهه ۱۹۹۰ by its year; a two-digit decade is Jalali (دهه ۹۰ = the 1390s) unless میلادی follows.
    Two decades (دهه‌های ۵۰ و ۶۰) run from the first to the end of the second."""
    first = _decade_start(ctx, m.group("decade"), m.group("cue"))
    second = m.groupdict().get("decade2")
    last = _decade_start(ctx, second, m.group("cue")) if second else first
    if first is None or last is None or first[0] != last[0]:
        return None
    calendar = first[0]
    return _fact(span_interval(calendar, (first[1],), (last[1] + 9,)), calendar, "decade")


@date_producer("year_in_words")
def year_in_words(m, ctx):
    """سال هزار و سیصد و پنجاه و هفت, سال دوهزاروده: a number in words that is a year of some
    calendar; سال نود و دو abbreviates 1392 as سال ۹۲ does (from fifty on: سال دو is no year)."""
    number = parse_number(m.group("year") or spaced_out(ctx, m.group("glued_year")), ctx.rules.lexicons)
    if number is None or number.value != int(number.value) or not (WORD_YEAR_TWO_DIGITS <= number.value < 100 or number.value >= 1000):
        return None
    calendar, value = read_year(ctx, f"{int(number.value):02d}", m.group("cue"))
    return _fact(calendar_interval(calendar, value), calendar, "year")


def spaced_out(ctx: MatchContext, glued: str) -> str:
    """A number in words written without spaces, spaced as the number reader reads it:
    "دوهزاروده" → "دو هزار و ده" (number words first, so نود is ninety, not ن و د)."""
    words = compiled(f"{ctx.rules.macros['glued_number_word']}|و")
    return " ".join(words.findall(glued))


@date_producer("before_common_era")
def before_common_era(m, ctx):
    """سال ۵۰۰ پیش از میلاد: found, but with an empty interval (Python's dates start at year 1)."""
    return _fact(None, "gregorian", "century" if m.group("century") else "year")


@date_producer("century")
def century(m, ctx):
    """سده هجدهم: Gregorian unless a calendar word (هجری قمری, شمسی) follows."""
    surface = m.group("century").strip()
    number = int(surface) if surface.isdigit() else ctx.lexicon_value("ordinal", surface)
    if not number:
        return None
    calendar = cue_calendar(ctx, m.group("cue")) or "gregorian"
    return _fact(century_interval(calendar, int(number)), calendar, "century")


@date_producer("months_of_year")
def months_of_year(m, ctx):
    """۹ ماه نخست سال ۲۰۲۵ (January to September), سه‌ماهه دوم (April to June), نیمه دوم سال ۹۲;
    the year may be the dateline's (۹ ماه نخست امسال)."""
    groups = m.groupdict()
    if groups.get("year"):
        calendar, value = read_year(ctx, groups["year"], groups.get("cue"))
    elif ctx.dateline is None:
        return _fact(None, None, "month")
    else:
        calendar, value = _dateline_year(ctx, groups)
    if m.group("half"):
        first, last = (1, 6) if m.group("half") in HALF_YEAR_FIRST else (7, 12)
    elif m.group("quarter"):
        quarter = int(ctx.lexicon_value("ordinal", m.group("quarter")))
        if not 1 <= quarter <= 4:
            return None
        first, last = 3 * quarter - 2, 3 * quarter
    else:
        count = parse_number(m.group("count"), ctx.rules.lexicons)
        if count is None or not 1 <= count.value <= 12 or count.value != int(count.value):
            return None
        first, last = 1, int(count.value)
    return _fact(span_interval(calendar, (value, first), (value, last)), calendar, "month")


@date_producer("season")
def season(m, ctx):
    """A Jalali season is three months from Farvardin; a Gregorian one is meteorological (spring = March)."""
    index = int(ctx.lexicon_value("season", m.group("season")))
    calendar, value = read_year(ctx, m.group("year"), m.group("cue"))
    if calendar == "jalali":
        first = (value, 3 * index - 2)
    elif calendar == "gregorian":
        first = (value, 3 * index)
    else:
        return None
    last = shift_month(*first, 2)
    return _fact(span_interval(calendar, first, last), calendar, "month")


# --- dates anchored on the dateline ---------------------------------------------------------------


def _relative_offset(ctx: MatchContext, surface: str | None) -> tuple[int, bool]:
    """(offset, counts years) of "گذشته", "سال گذشته", "امسال" ... after a date; (0, False) if none."""
    if not surface:
        return 0, False
    surface = surface.strip()
    year_word = ctx.lexicon_value("relative_year", surface)
    if year_word is not None:
        return int(year_word), True
    names_year = YEAR_WORD.match(surface) is not None
    return int(ctx.lexicon_value("relative_period", YEAR_WORD.sub("", surface))), names_year


def anchored_year(ctx: MatchContext, calendar: str, month: int, day: int | None = None, relative: str | None = None) -> int | None:
    """The year of a month (and day) written without one: the occurrence nearest the dateline, or
    the one before/after it ("۲۸ مهر گذشته"), or the year a word names ("۱۲ بهمن امسال")."""
    if ctx.dateline is None:
        return None
    this_year = from_gregorian(calendar, ctx.dateline)[0]
    offset, counts_years = _relative_offset(ctx, relative)
    if counts_years:
        return this_year + offset
    occurrences = {}
    for candidate in (this_year - 1, this_year, this_year + 1):
        try:
            occurrences[candidate] = calendar_interval(calendar, candidate, month, day)
        except ValueError:
            continue
    if offset < 0:
        return max((y for y, (start, _) in occurrences.items() if start <= ctx.dateline), default=None)
    if offset > 0:
        return min((y for y, (_, end) in occurrences.items() if end >= ctx.dateline), default=None)

    def distance(y: int) -> int:
        start, end = occurrences[y]
        return 0 if start <= ctx.dateline <= end else min(abs((start - ctx.dateline).days), abs((end - ctx.dateline).days))

    return min(occurrences, key=distance, default=None)


@date_producer("day_month_anchored")
def day_month_anchored(m, ctx):
    month = read_month(ctx, m.group("month"))
    if month is None:
        return None
    day = read_day(ctx, day_group(m))
    if day < MIN_DAY_IN_WORDS and m.group("day") and is_cardinal_word(ctx, m.group("day")):
        return None  # "سه تیر شلیک کرد": three bullets
    found = anchored_year(ctx, month[0], month[1], day, m.group("rel"))
    interval = None if found is None else calendar_interval(month[0], found, month[1], day)
    return _fact(interval, month[0], "day")


@date_producer("month_anchored")
def month_anchored(m, ctx):
    month = read_month(ctx, m.group("month") or m.group("month_after") or m.group("month_part"))
    if month is None:
        return None
    found = anchored_year(ctx, month[0], month[1], relative=m.group("rel"))
    interval = None if found is None else calendar_interval(month[0], found, month[1])
    return _fact(interval, month[0], "month")


@date_producer("relative_day")
def relative_day(m, ctx):
    """امروز, دیشب, صبح امروز سه‌شنبه; امروز و فردا runs from the first day to the second. A bare
    امروز or فردا (relative_day_vague) with a word of nowadays_word next to it (دنیای امروز) is no date."""
    if m.group("count"):
        return None  # "دو روز گذشته" is a duration
    offsets = [int(ctx.lexicon_value("relative_day", m.group(g))) for g in ("word", "word2") if m.group(g)]
    said_when = m.group("part") or m.group("part_after") or m.group("weekday") or m.group("word2")
    nowadays = ctx.lexicon_value("nowadays_word", m.group("vague_before")) in ("before", "around") or (
        ctx.lexicon_value("nowadays_word", (m.group("vague_after") or "").strip()) in ("after", "around")
    )
    if nowadays and not said_when and ctx.lexicon_value("relative_day_vague", m.group("word")) is not None:
        return None
    if ctx.dateline is None:
        return _fact(None, None, "day")
    first, last = (ctx.dateline + dt.timedelta(days=offset) for offset in (min(offsets), max(offsets)))
    return _fact((first, last), ctx.dateline_calendar, "day")


def _relative_calendar(ctx: MatchContext, groups: dict) -> str:
    """The calendar of a relative date: a calendar word's (سال گذشته میلادی), else the dateline's."""
    return cue_calendar(ctx, groups.get("cue")) or ctx.dateline_calendar or "gregorian"


def _dateline_year(ctx: MatchContext, groups: dict) -> tuple[str, int]:
    """(calendar, year) that امسال or "سال گذشته" (groups ``year_word``/``rel``) name, by the dateline."""
    calendar = _relative_calendar(ctx, groups)
    offset, _ = _relative_offset(ctx, groups.get("year_word") or groups.get("rel"))
    return calendar, from_gregorian(calendar, ctx.dateline)[0] + offset


def _week_start(day: dt.date) -> dt.date:
    """The Saturday that begins the Persian week of ``day``."""
    return day - dt.timedelta(days=(day.isoweekday() - SATURDAY) % 7)


def _weekday_day(ctx: MatchContext, weekday: str, relative: str | None) -> dt.date:
    """The day a weekday names: in the dateline's week, or the week a word gives (هفته گذشته), or
    the last one before the dateline (چهارشنبه گذشته) or the next one after it (دوشنبه آینده)."""
    iso = int(ctx.lexicon_value("weekday", weekday))
    relative = (relative or "").strip()
    word = WEEK_WORDS.sub("", relative)
    offset = int(ctx.lexicon_value("relative_period", word)) if word else 0
    if offset and relative == word:
        step = -1 if offset < 0 else 1
        days = (step * (iso - ctx.dateline.isoweekday())) % 7 or 7
        return ctx.dateline + dt.timedelta(days=step * days)
    return _week_start(ctx.dateline) + dt.timedelta(days=7 * offset + (iso - SATURDAY) % 7)


def _dateline_period(ctx: MatchContext, calendar: str, unit: str, offset: int) -> tuple[dt.date, dt.date]:
    """The day, week, month or year (in ``calendar``) ``offset`` units from the dateline's."""
    if unit == "day":
        day = ctx.dateline + dt.timedelta(days=offset)
        return day, day
    if unit == "week":
        first = _week_start(ctx.dateline) + dt.timedelta(days=7 * offset)
        return first, first + dt.timedelta(days=6)
    year_now, month_now, _ = from_gregorian(calendar, ctx.dateline)
    if unit == "month":
        return calendar_interval(calendar, *shift_month(year_now, month_now, offset))
    return calendar_interval(calendar, year_now + offset)


@date_producer("relative_weekday")
def relative_weekday(m, ctx):
    """شنبه عصر, چهارشنبه گذشته, دوشنبه تا پنجشنبه این هفته (from the first day to the second)."""
    if ctx.dateline is None:
        return _fact(None, None, "day")
    first = _weekday_day(ctx, m.group("weekday"), m.group("rel"))
    last = _weekday_day(ctx, m.group("weekday2"), m.group("rel")) if m.group("weekday2") else first
    if last < first:
        last += dt.timedelta(days=7)  # پنجشنبه تا شنبه
    return _fact((first, last), ctx.dateline_calendar, "day")


@date_producer("year_to_date")
def year_to_date(m, ctx):
    """ابتدای سال تا کنون: from the first day of the dateline's year (or the year a word names) to the dateline."""
    if ctx.dateline is None:
        return _fact(None, None, "day")
    calendar, value = _dateline_year(ctx, m.groupdict())
    first, _ = calendar_interval(calendar, value)
    return _fact((first, ctx.dateline), calendar, "day") if first <= ctx.dateline else None


@date_producer("relative_ago")
def relative_ago(m, ctx):
    """دو روز پیش, ۳ ماه قبل: the day, week, month or year that many units before the dateline's."""
    unit = PERIOD_UNITS.get(m.group("unit"), "day")
    count = parse_number(m.group("count"), ctx.rules.lexicons)
    if count is None or count.value != int(count.value):
        return None
    if ctx.dateline is None:
        return _fact(None, None, unit)
    calendar = ctx.dateline_calendar or "gregorian"
    return _fact(_dateline_period(ctx, calendar, unit, -int(count.value)), calendar, unit)


@date_producer("relative_period")
def relative_period(m, ctx):
    """سال گذشته, امسال, ماه جاری, هفته آینده, این هفته: the dateline's year, month or week, shifted."""
    if m.group("count"):
        return None  # "۳۰ سال گذشته" is a duration, "مدت مشابه سال قبل" a comparison
    unit = PERIOD_UNITS.get(m.group("unit") or m.group("this_unit"), "year")
    if ctx.dateline is None:
        return _fact(None, None, unit)
    if unit == "year":
        calendar, value = _dateline_year(ctx, m.groupdict())
        return _fact(calendar_interval(calendar, value), calendar, unit)
    calendar = _relative_calendar(ctx, m.groupdict())
    offset = int(ctx.lexicon_value("relative_period", m.group("rel"))) if m.group("rel") else 0
    return _fact(_dateline_period(ctx, calendar, unit, offset), calendar, unit)


def read_published(rules: RuleSet, published: str | None) -> tuple[dt.date, str] | None:
    """(Gregorian day, calendar) of a table's ``published`` field (Persian digits too, folded here);
    its year says the calendar (1384/02/17 is Jalali). None if it is missing or not such a date."""
    if not isinstance(published, str):
        return None
    found = PUBLISHED_DATE.match(published.translate(fold_table()))
    if not found:
        return None
    try:
        calendar, year = read_year(MatchContext(rules=rules), found["year"])
        day, _ = calendar_interval(calendar, year, int(found["month"]), int(found["day"]))
    except ValueError:
        return None
    return day, calendar


@finalizer("date")
def finish_dates(candidates: list, ctx: MatchContext) -> list:
    """A date after a word of ``period_part`` (اواخر آبان ۱۳۹۸, پایان سال جاری) starts at the word;
    a date read from a table's ``published`` field rather than a dateline says so in its rule id
    (``date.relative.day@published``)."""
    part_before = compiled(f"(?:{ctx.rules.macros['period_part']})[ \t\u200c]+$")
    for cand in candidates:
        if found := part_before.search(ctx.text, max(0, cand.start - PERIOD_PART_REACH), cand.start):
            cand.start = found.start()
        if ctx.anchor == "published" and cand.rule_id.startswith(ANCHORED_RULES) and cand.values.get("date_start") is not None:
            cand.rule_id += PUBLISHED_ANCHOR
    return candidates
