"""Header fields: dateline, news code, agency (read by ingest, not by match)."""

from __future__ import annotations

from pipeline.calendars import calendar_interval
from pipeline.facttypes import MatchContext, producer
from pipeline.facttypes.date import read_clock_time


def _dateline(m, calendar: str, ctx: MatchContext):
    month = m.group("month")
    month = int(month) if month.isdigit() else ctx.lexicon_value(f"{calendar}_month", month)
    try:
        start, _ = calendar_interval(calendar, int(m.group("year")), int(month), int(m.group("day")))
    except (TypeError, ValueError):
        return None
    return {"dateline_date": start, "dateline_calendar": calendar, "dateline_time": read_clock_time(m, ctx)}


@producer("header", "dateline_gregorian")
def dateline_gregorian(m, ctx):
    return _dateline(m, "gregorian", ctx)


@producer("header", "dateline_jalali")
def dateline_jalali(m, ctx):
    return _dateline(m, "jalali", ctx)


@producer("header", "news_code")
def news_code(m, ctx):
    return {"news_code": m.group("value")}


@producer("header", "agency")
def agency(m, ctx):
    value = m.group("value").strip()
    return {"agency": ctx.lexicon_value("agency", value) or value}
