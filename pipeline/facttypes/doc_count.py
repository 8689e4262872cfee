"""Document-count producers: count and kind from a match of rules/doc_count.yaml."""

from __future__ import annotations

from pipeline.facttypes import producer
from pipeline.numbers import parse_number


@producer("doc_count", "count")
def count(m, ctx):
    """"۱۴ سند همکاری" = 14; "یک قرارداد" counts one document too (a document signed is one, whether
    the text says "a" or "one")."""
    number = parse_number(m.group("number"), ctx.rules.lexicons)
    kind = ctx.lexicon_value("document_kind", m.group("kind"))
    if number is None or kind is None or number.value < 1 or number.value != int(number.value):
        return None
    return {"count": int(number.value), "kind": kind}
