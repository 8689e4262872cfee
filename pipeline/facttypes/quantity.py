"""Quantity producers: value and unit from a match of rules/quantity.yaml."""

from __future__ import annotations

from pipeline.facttypes import producer
from pipeline.numbers import parse_number

PEOPLE = "نفر"


@producer("quantity", "unit")
def unit(m, ctx):
    number = parse_number(m.group("number"), ctx.rules.lexicons)
    name = ctx.lexicon_value("quantity_unit", m.group("unit"))
    if number is None or name is None:
        return None
    return {"value": number.value, "unit": name}


@producer("quantity", "people")
def people(m, ctx):
    """People counted by what they are (۵ هزار قزاق) or with تن (۵ تن از ...): the unit is نفر."""
    number = parse_number(m.group("number"), ctx.rules.lexicons)
    return None if number is None else {"value": number.value, "unit": PEOPLE}
