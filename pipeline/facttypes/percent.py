"""Percent producers: value, or value_min/value_max of a range, from a match of rules/percent.yaml."""

from __future__ import annotations

from pipeline.facttypes import producer
from pipeline.numbers import parse_number


def _sign(m) -> int:
    """-1 for "منفی ۲.۸ درصد"; rules without a ``minus`` group are positive."""
    return -1 if m.groupdict().get("minus") else 1


@producer("percent", "value")
def value(m, ctx):
    number = parse_number(m.group("number"), ctx.rules.lexicons)
    return None if number is None else {"value": _sign(m) * number.value}


@producer("percent", "range")
def percent_range(m, ctx):
    low = parse_number(m.group("min"), ctx.rules.lexicons)
    high = parse_number(m.group("max"), ctx.rules.lexicons)
    if low is None or high is None:
        return None
    sign = _sign(m)
    # tokenized right-to-left text may write a range high first ("22 - 21 درصدی")
    bounds = sorted((sign * low.value, sign * high.value))
    return {"value_min": bounds[0], "value_max": bounds[1]}


@producer("percent", "whole")
def whole(m, ctx):
    """"صددرصد": one hundred percent."""
    return {"value": 100.0}


@producer("percent", "vague")
def vague(m, ctx):
    """"چند درصد": a percentage whose value the text does not give."""
    return {}
