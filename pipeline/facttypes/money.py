"""Money producers: amount and currency from a match of rules/money.yaml."""

from __future__ import annotations

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


@producer("money", "range")
def money_range(m, ctx):
    low = parse_number(m.group("min"), ctx.rules.lexicons)
    high = parse_number(m.group("max"), ctx.rules.lexicons)
    currency = _currency(m, ctx)
    if low is None or high is None or currency is None:
        return None
    low_value = low.value
    # "۳۰۰ تا ۴۰۰ میلیون": the scale written once at the end applies to both ends
    if low.trailing_scale == 1 and high.trailing_scale > 1 and low_value * high.trailing_scale <= high.value:
        low_value *= high.trailing_scale
    if low_value > high.value:
        return None
    return {"amount_min": low_value, "amount_max": high.value, "currency": currency}


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
