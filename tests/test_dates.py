"""Dates: calendar arithmetic, which calendar a year belongs to, and dates anchored on the dateline."""

import datetime as dt

import pytest

from pipeline.calendars import calendar_interval, century_interval, from_gregorian, shift_month, span_interval
from pipeline.evaluate import evaluate
from pipeline.run import extract_text


D = dt.date


@pytest.mark.parametrize(
    "calendar,parts,expected",
    [
        ("jalali", (1399,), (D(2020, 3, 20), D(2021, 3, 20))),  # a leap year: 30 Esfand
        ("jalali", (1400,), (D(2021, 3, 21), D(2022, 3, 20))),
        ("jalali", (1402, 12), (D(2024, 2, 20), D(2024, 3, 19))),  # Esfand of a common year
        ("jalali", (1403, 12), (D(2025, 2, 19), D(2025, 3, 20))),
        ("jalali", (1403, 5, 9), (D(2024, 7, 30), D(2024, 7, 30))),
        ("hijri", (1435, 7, 13), (D(2014, 5, 13), D(2014, 5, 13))),
        ("hijri", (1445, 9), (D(2024, 3, 11), D(2024, 4, 9))),
        ("gregorian", (2024, 2), (D(2024, 2, 1), D(2024, 2, 29))),
    ],
)
def test_calendar_intervals(calendar, parts, expected):
    assert calendar_interval(calendar, *parts) == expected


def test_dates_that_do_not_exist_raise():
    with pytest.raises(ValueError):
        calendar_interval("jalali", 1402, 12, 30)
    with pytest.raises(ValueError):
        calendar_interval("hijri", 1445, 13)


def test_decades_centuries_and_months():
    assert span_interval("jalali", (1390,), (1399,)) == (D(2011, 3, 21), D(2021, 3, 20))
    assert century_interval("gregorian", 18) == (D(1701, 1, 1), D(1800, 12, 31))
    assert shift_month(1403, 1, -1) == (1402, 12)
    assert from_gregorian("jalali", D(2024, 7, 30)) == (1403, 5, 9)


def _dates(text: str) -> list[tuple]:
    facts = extract_text(text)
    facts = facts[facts.fact_type == "date"]
    return [(f.text, f.rule_id, str(f.date_start), str(f.date_end), f.calendar, f.precision) for f in facts.itertuples()]


def _values(text: str) -> dict[str, tuple]:
    return {text: (start, end, calendar) for text, _, start, end, calendar, _ in _dates(text)}


@pytest.mark.parametrize(
    "text,span,expected",
    [
        ("سال ۱۴۰۰ رشد کرد", "سال ۱۴۰۰", ("2021-03-21", "2022-03-20", "jalali")),
        ("سال ۲۰۲۰ رشد کرد", "سال ۲۰۲۰", ("2020-01-01", "2020-12-31", "gregorian")),
        ("سال 88 رخ داد", "سال 88", ("2009-03-21", "2010-03-20", "jalali")),
        ("سال 1438 هجری قمری", "سال 1438 هجری قمری", ("2016-10-03", "2017-09-21", "hijri")),
        ("در 2020 میلادی", "2020 میلادی", ("2020-01-01", "2020-12-31", "gregorian")),
        ("دهه ۹۰ میلادی", "دهه ۹۰ میلادی", ("1990-01-01", "1999-12-31", "gregorian")),
    ],
)
def test_the_calendar_of_a_year_is_decided_by_rules(text, span, expected):
    assert _values(text)[span] == expected


DATELINE = "تاریخ : 1403,سه شنبه 09 مرداد17:07\n"


@pytest.mark.parametrize(
    "body,span,expected",
    [
        ("مسعود پزشکیان صبح امروز سهشنبه گفت", "صبح امروز سهشنبه", ("2024-07-30", "2024-07-30", "jalali")),
        ("دیروز اعلام شد", "دیروز", ("2024-07-29", "2024-07-29", "jalali")),
        ("سال گذشته رشد کرد", "سال گذشته", ("2023-03-21", "2024-03-19", "jalali")),
        ("ماه گذشته رشد کرد", "ماه گذشته", ("2024-06-21", "2024-07-21", "jalali")),
        ("در ۲۵ تیر گفت", "۲۵ تیر", ("2024-07-15", "2024-07-15", "jalali")),
        ("در ۲۵ اسفند گفت", "۲۵ اسفند", ("2024-03-15", "2024-03-15", "jalali")),  # nearest: the one before
        ("در ۱۰ فروردین آینده", "۱۰ فروردین آینده", ("2025-03-30", "2025-03-30", "jalali")),
        ("۲۸ تیر گذشته", "۲۸ تیر گذشته", ("2024-07-18", "2024-07-18", "jalali")),
        ("در ۱۰ ژوئیه گفت", "۱۰ ژوئیه", ("2024-07-10", "2024-07-10", "gregorian")),
        ("در اسفند ماه", "اسفند ماه", ("2024-02-20", "2024-03-19", "jalali")),  # nearest: 4 months back
        ("۱۲ بهمن سال گذشته", "۱۲ بهمن سال گذشته", ("2024-02-01", "2024-02-01", "jalali")),
        ("وزیر امروز گفت", "امروز", ("2024-07-30", "2024-07-30", "jalali")),
        ("فردا می‌رود", "فردا", ("2024-07-31", "2024-07-31", "jalali")),
        ("دیشب رخ داد", "دیشب", ("2024-07-29", "2024-07-29", "jalali")),
        ("امشب برگزار می‌شود", "امشب", ("2024-07-30", "2024-07-30", "jalali")),
        ("امروزسه‌شنبه گفت", "امروزسه‌شنبه", ("2024-07-30", "2024-07-30", "jalali")),
        ("امروز و فردا باز است", "امروز و فردا", ("2024-07-30", "2024-07-31", "jalali")),
        ("در بیست و سه بهمن گفت", "بیست و سه بهمن", ("2024-02-12", "2024-02-12", "jalali")),
        ("در سی‌ویکمین روز فروردین", "سی‌ویکمین روز فروردین", ("2024-04-19", "2024-04-19", "jalali")),
        ("در ۸ ربیع ثانی", "۸ ربیع ثانی", ("2024-10-12", "2024-10-12", "hijri")),
        ("در نیمه دوم سال", "نیمه دوم سال", ("2024-09-22", "2025-03-20", "jalali")),
        ("از ابتدای سال تا کنون", "ابتدای سال تا کنون", ("2024-03-20", "2024-07-30", "jalali")),
        ("تا پایان سال جاری", "پایان سال جاری", ("2024-03-20", "2025-03-20", "jalali")),
        ("پس‌فردا می‌رود", "پس‌فردا", ("2024-08-01", "2024-08-01", "jalali")),
    ],
)
def test_dates_anchored_on_the_dateline(body, span, expected):
    assert _values(DATELINE + body)[span] == expected


@pytest.mark.parametrize(
    "body,span,expected",
    [  # the dateline is a Tuesday; the Persian week runs from Saturday 2024-07-27 to Friday 2024-08-02
        ("چهارشنبه گذشته گفت", "چهارشنبه گذشته", ("2024-07-24", "2024-07-24", "day")),
        ("سه‌شنبه گذشته گفت", "سه‌شنبه گذشته", ("2024-07-23", "2024-07-23", "day")),
        ("دوشنبه آینده می‌آید", "دوشنبه آینده", ("2024-08-05", "2024-08-05", "day")),
        ("شنبه آتی", "شنبه آتی", ("2024-08-03", "2024-08-03", "day")),
        ("دوشنبه تا پنجشنبه این هفته", "دوشنبه تا پنجشنبه این هفته", ("2024-07-29", "2024-08-01", "day")),
        ("شنبه عصر گفت", "شنبه عصر", ("2024-07-27", "2024-07-27", "day")),
        ("جمعه هفته آینده", "جمعه هفته آینده", ("2024-08-09", "2024-08-09", "day")),
        ("هفته گذشته گفت", "هفته گذشته", ("2024-07-20", "2024-07-26", "week")),
        ("دو روز پیش گفت", "دو روز پیش", ("2024-07-28", "2024-07-28", "day")),
        ("یک هفته قبل گفت", "یک هفته قبل", ("2024-07-20", "2024-07-26", "week")),
        ("این هفته", "این هفته", ("2024-07-27", "2024-08-02", "week")),
    ],
)
def test_weekdays_and_weeks_on_the_dateline(body, span, expected):
    found = {text: (start, end, precision) for text, _, start, end, _, precision in _dates(DATELINE + body)}
    assert found[span] == expected


@pytest.mark.parametrize(
    "text,span,expected",
    [
        ("در ۲۱آبان۹۸ گفت", "۲۱آبان۹۸", ("2019-11-12", "2019-11-12", "jalali")),
        ("در 3دی1400 گفت", "3دی1400", ("2021-12-24", "2021-12-24", "jalali")),
        ("یکشنبه ۹۷.۳.۱۲ گفت", "یکشنبه ۹۷.۳.۱۲", ("2018-06-02", "2018-06-02", "jalali")),
        ("در 97 / 3 / 12 گفت", "97 / 3 / 12", ("2018-06-02", "2018-06-02", "jalali")),
        ("در 1200/05/10 قمری", "1200/05/10 قمری", ("1786-03-11", "1786-03-11", "hijri")),
        ("وفات در ۱۳۰ ق", "۱۳۰ ق", ("0747-09-15", "0748-09-03", "hijri")),
        ("در سال ۱۰ هجری شمسی", "سال ۱۰ هجری شمسی", ("0631-03-22", "0632-03-20", "jalali")),
        ("در سال هزار و سیصد و پنجاه و هفت", "سال هزار و سیصد و پنجاه و هفت", ("1978-03-21", "1979-03-20", "jalali")),
        ("در سال دوهزاروده", "سال دوهزاروده", ("2010-01-01", "2010-12-31", "gregorian")),
        ("در انتخابات ۹۲ رای داد", "۹۲", ("2013-03-21", "2014-03-20", "jalali")),
        ("در دهه‌های ۵۰ و ۶۰", "دهه‌های ۵۰ و ۶۰", ("1971-03-21", "1991-03-20", "jalali")),
        ("در 20-18 اكتبر 2006", "20-18 اكتبر 2006", ("2006-10-18", "2006-10-20", "gregorian")),
        ("در سال ۵۰۰ پیش از میلاد", "سال ۵۰۰ پیش از میلاد", ("None", "None", "gregorian")),
        ("در پایان سال ۱۴۰۲ گفت", "پایان سال ۱۴۰۲", ("2023-03-21", "2024-03-19", "jalali")),  # the whole year
        ("در اواسط دهه ۹۰", "اواسط دهه ۹۰", ("2011-03-21", "2021-03-20", "jalali")),
    ],
)
def test_absolute_dates_as_persian_writes_them(text, span, expected):
    assert _values(text)[span] == expected


def test_relative_and_yearless_dates_stay_open_without_a_dateline():
    found = {text: (rule, start, end, precision) for text, rule, start, end, _, precision in _dates("دیروز و ۹ مرداد و سال گذشته")}
    assert found == {
        "دیروز": ("date.relative.day", "None", "None", "day"),
        "۹ مرداد": ("date.anchored.day_month", "None", "None", "day"),
        "سال گذشته": ("date.relative.period", "None", "None", "year"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "صادرات ۳۱۰.۸ میلیون دلار بود",
        "به گزارش خبرنگار مهر مسعود پزشکیان",
        "او این کار را میکند و می‌کند",
        "در ۳۰ سال گذشته",
        "دو دهه اخیر",
        "در بررسی ۲۰ ساله تجارت",
        "نسبت به مدت مشابه سال قبل",
        "امروز نیز مرزهای سیاسی نتوانسته",
        "در دنیای امروز",
        "در چندین سال گذشته",
        "ساعت 17:07",
        "نسخه 97.3.12 منتشر شد",
        "امام جمعه تهران",
        "دو هفته آینده",
        "سه تیر شلیک کرد",
        "انتخابات ۲۴ نماینده",
        "دو روز قبل از انتخابات",
    ],
)
def test_not_dates(text):
    assert _dates(text) == []


def test_seed_dates_match_the_gold(seed_facts, seed_gold):
    dates = [g for g in seed_gold if g["type"] == "date"]
    result = evaluate(dates, seed_facts[seed_facts.fact_type == "date"])
    assert result["scores"]["date"]["strict_f1"] >= 0.95


def test_clock_times_go_to_the_time_column():
    from pipeline.ingest import read_header

    assert read_header("تاریخ : 1403,سه شنبه 09 مرداد17:07\nکد خبر : 663611")["dateline_time"] == "17:07"
    facts = extract_text("تعداد بازدید : 7 ارسال : ساعت 7 : 08 ب . ظ\nمصاحبه سه‌شنبه 2 آذر 1395 ساعت 7 : 08 ب . ظ")
    date = facts[facts.fact_type == "date"].iloc[0]
    assert (date.text, date.time) == ("سه‌شنبه 2 آذر 1395", "19:08")


def _facts_published(text: str, published: str) -> dict[str, tuple]:
    from pipeline.ingest import document_from_text
    from pipeline.rules import default_rules
    from pipeline.run import extract_tables

    documents = document_from_text("doc", text)
    documents["published"] = published
    facts = extract_tables(documents, default_rules())["facts"]
    return {f.text: (f.rule_id, str(f.date_start), str(f.date_end)) for f in facts[facts.fact_type == "date"].itertuples()}


def test_a_tables_published_field_anchors_dates_when_there_is_no_dateline():
    assert _facts_published("دیروز و ۲۵ تیر و سال گذشته و سال ۱۴۰۰", "1403/05/09") == {
        "دیروز": ("date.relative.day@published", "2024-07-29", "2024-07-29"),
        "۲۵ تیر": ("date.anchored.day_month@published", "2024-07-15", "2024-07-15"),
        "سال گذشته": ("date.relative.period@published", "2023-03-21", "2024-03-19"),
        "سال ۱۴۰۰": ("date.year", "2021-03-21", "2022-03-20"),
    }
    assert _facts_published("دیروز", "2024-07-30T10:00:00Z")["دیروز"] == ("date.relative.day@published", "2024-07-29", "2024-07-29")
    assert _facts_published("دیروز", "not a date")["دیروز"] == ("date.relative.day", "None", "None")
    # the article's own dateline comes first
    assert _facts_published(DATELINE + "دیروز", "2020-01-01")["دیروز"] == ("date.relative.day", "2024-07-29", "2024-07-29")
