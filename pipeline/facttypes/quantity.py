"""Quantity producers: value and unit from a match of rules/quantity.yaml."""

from __future__ import annotations

import re

from pipeline.facttypes import producer
from pipeline.numbers import ParsedNumber, is_indefinite_article, parse_number

PEOPLE = "نفر"


def _number(m, ctx) -> ParsedNumber | None:
    """The counted number; "یک مرد" is "a man" and "ده‌ها هزار تن" has no number: no quantity."""
    text = m.group("number")
    before = ctx.text[max(0, m.start("number") - 16) : m.start("number")]
    after_vague_amount = re.search(f"(?:{ctx.rules.macros['vague_amount']})\\s*$", before)
    if after_vague_amount or is_indefinite_article(text, ctx.rules.lexicons):
        return None
    return parse_number(text, ctx.rules.lexicons)


@producer("quantity", "unit")
def unit(m, ctx):
    number = _number(m, ctx)
    name = ctx.lexicon_value("quantity_unit", m.group("unit"))
    if number is None or name is None:
        return None
    return {"value": number.value, "unit": name}


@producer("quantity", "people")
def people(m, ctx):
    """People counted by what they are (۵ هزار قزاق) or with تن (۵ تن از ...): the unit is نفر."""
    number = _number(m, ctx)
    return None if number is None else {"value": number.value, "unit": PEOPLE}
