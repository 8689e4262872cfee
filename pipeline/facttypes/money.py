"""Money producers: amount and currency from a match of rules/money.yaml."""

from __future__ import annotations

import re

from pipeline.facttypes import MatchContext, producer
from pipeline.numbers import parse_number


def _currency(m, ctx: MatchContext) -> str | None:
    return ctx.lexicon_value("currency", m.group("currency"))


@producer("money", "amount")
def amount(m, ctx):
    number = parse_number(m.group("number"), ctx.rules.lexicons)
    currency = _currency(m, ctx)
    if number is None or currency is None:
        return None
    return {"amount": number.value, "currency": currency}


def _bounds(m, ctx: MatchContext) -> tuple[float, float] | None:
    """The two ends of a range ``min`` تا ``max``; None when they are not numbers or fall."""
    low = parse_number(m.group("min"), ctx.rules.lexicons)
    high = parse_number(m.group("max"), ctx.rules.lexicons)
    if low is None or high is None:
        return None
    low_value = low.value
    # "۳۰۰ تا ۴۰۰ میلیون": the scale written once at the end applies to both ends
    if low.trailing_scale == 1 and high.trailing_scale > 1 and low_value * high.trailing_scale <= high.value:
        low_value *= high.trailing_scale
    return None if low_value > high.value else (low_value, high.value)


# the word or the mark just before a span
WORD_BEFORE = re.compile(r"(?:[^\W\d_]+|\S)(?=[^\S\n]*\Z)")


@producer("money", "scale_alone")
def scale_alone(m, ctx):
    """"میلیون دلار" is one million dollars; but in "ارقام به میلیارد تومان" the scale word is the
    unit the figures are given in (the word before is in rules/lexicons/scale_unit_cue.yaml)."""
    before = WORD_BEFORE.search(ctx.text, max(0, m.start() - 24), m.start())
    if before and ctx.lexicon_value("scale_unit_cue", before.group()) is not None:
        return None
    return amount(m, ctx)


@producer("money", "range")
def money_range(m, ctx):
    bounds = _bounds(m, ctx)
    currency = _currency(m, ctx)
    if bounds is None or currency is None:
        return None
    return {"amount_min": bounds[0], "amount_max": bounds[1], "currency": currency}


@producer("money", "implied_range")
def implied_range(m, ctx):
    """"وام‌های ۵۴ تا ۶۰ میلیونی": a range that a money noun marks as money, currency unsaid."""
    bounds = _bounds(m, ctx)
    return None if bounds is None else {"amount_min": bounds[0], "amount_max": bounds[1]}


def _subunit_amount(m, ctx: MatchContext) -> tuple[float, str] | None:
    """"۸۰ سنت" → (0.8, USD): the hundredth part of a currency (rules/lexicons/currency_subunit.yaml)."""
    number = parse_number(m.group("subunit_number"), ctx.rules.lexicons)
    currency = ctx.lexicon_value("currency_subunit", m.group("subunit"))
    return None if number is None or currency is None else (number.value / 100, currency)


@producer("money", "subunit")
def subunit(m, ctx):
    cents = _subunit_amount(m, ctx)
    return None if cents is None else {"amount": cents[0], "currency": cents[1]}


@producer("money", "with_subunit")
def with_subunit(m, ctx):
    """"۴۸ دلار و ۵۲ سنت" = 48.52 USD."""
    number = parse_number(m.group("number"), ctx.rules.lexicons)
    cents = _subunit_amount(m, ctx)
    if number is None or cents is None or _currency(m, ctx) != cents[1]:
        return None
    return {"amount": number.value + cents[0], "currency": cents[1]}


@producer("money", "implied")
def implied(m, ctx):
    """"وام ۱۱۰ میلیونی": an amount that a money noun marks as money, in a currency left unsaid."""
    number = parse_number(m.group("number"), ctx.rules.lexicons)
    return None if number is None else {"amount": number.value}


@producer("money", "vague")
def vague(m, ctx):
    """"millions of dollars": the currency is known, the amount is not."""
    currency = _currency(m, ctx)
    return None if currency is None else {"currency": currency}
