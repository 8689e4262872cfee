"""Document-count producers: count and kind from a match of rules/doc_count.yaml."""

from __future__ import annotations

from pipeline.facttypes import producer
from pipeline.numbers import is_indefinite_article, parse_number


@producer("doc_count", "count")
def count(m, ctx):
    number = parse_number(m.group("number"), ctx.rules.lexicons)
    kind = ctx.lexicon_value("document_kind", m.group("kind"))
    if number is None or kind is None or number.value < 1 or number.value != int(number.value):
        return None
    # "یک قرارداد" is mostly the article "a contract"; "یک فقره قرارداد" is a count
    if is_indefinite_article(m.group("number"), ctx.rules.lexicons) and not m.group("classifier"):
        return None
    return {"count": int(number.value), "kind": kind}
