"""spaCy: the pipeline as a component, ``persian_facts``, for people who work in spaCy.

    nlp = spacy.blank("fa")
    nlp.add_pipe("persian_facts")
    doc = nlp(text)

puts every fact of ``facts run`` on the same text in ``doc.spans["facts"]``: the span's label is
the fact type, its characters the fact's (``span.start_char``, ``span.end_char``), and
``span._.fact`` the fact's row of ``facts.parquet`` (values, rule id, links; empty columns left
out; dates as ISO strings). The factory is registered through the package's ``spacy_factories``
entry point, so no import is needed once the project is installed (importing this module
registers it too).

The facts come from the same function as every other way of running the rules
(:func:`pipeline.run.extract_text`, every stage on one text), so they are exactly the pipeline's.
spaCy's tokens need not end where a fact does (``نماینده‌ای`` is one token, the fact is
``سه نماینده``): such a token is split at the fact's edge, so each span covers exactly the fact's
characters. Add the component before any component that reads token boundaries (a blank
pipeline has none).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from pipeline.rules import RuleSet, default_rules, load_rules
from pipeline.run import extract_text

FACTS_BY_SPAN_ID = "persian_facts"  # doc.user_data key: span id → the fact's row


def _fact_of(span: Span) -> dict[str, Any] | None:
    # a span's own extension values are keyed by its characters only, which two facts can share
    return span.doc.user_data.get(FACTS_BY_SPAN_ID, {}).get(span.id_)


Span.set_extension("fact", getter=_fact_of, force=True)


class PersianFacts:
    """Runs the rules on a Doc's text and keeps the facts as spans (see the module docstring)."""

    def __init__(self, rules: RuleSet, spans_key: str = "facts", doc_id: str = "doc"):
        self.rules = rules
        self.spans_key = spans_key
        self.doc_id = doc_id

    def __call__(self, doc: Doc) -> Doc:
        facts = [_serializable(row) for row in extract_text(doc.text, doc_id=self.doc_id, rules=self.rules).to_dict("records")]
        _split_tokens_at(doc, {pos for f in facts for pos in (f["start"], f["end"])})
        spans = [doc.char_span(f["start"], f["end"], label=f["fact_type"], span_id=f["fact_id"]) for f in facts]
        doc.user_data[FACTS_BY_SPAN_ID] = {f["fact_id"]: f for f in facts}
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        return doc


def _serializable(row: dict[str, Any]) -> dict[str, Any]:
    """A fact's non-empty columns, dates as ISO strings (as in the CSV): a Doc's user data must
    pack with msgpack (``doc.to_bytes()``, ``DocBin``, ``nlp.pipe(n_process=...)``)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items() if pd.notna(v)}


def _split_tokens_at(doc: Doc, positions: set[int]) -> None:
    """Split every token that one of ``positions`` (character offsets) falls inside."""
    cuts_by_token = {}
    for token in doc:
        cuts = sorted(p - token.idx for p in positions if token.idx < p < token.idx + len(token))
        if cuts:
            cuts_by_token[token.i] = cuts
    if not cuts_by_token:
        return
    with doc.retokenize() as retokenizer:
        for i, cuts in cuts_by_token.items():
            token = doc[i]
            pieces = [token.text[a:b] for a, b in zip([0, *cuts], [*cuts, len(token)])]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))


@Language.factory(
    "persian_facts",
    default_config={"rules_dir": None, "spans_key": "facts", "doc_id": "doc"},
)
def make_persian_facts(nlp: Language, name: str, rules_dir: str | None, spans_key: str, doc_id: str) -> PersianFacts:
    """``rules_dir``: a rules folder like ``facts run --rules`` (None: the project's ``rules/``);
    ``doc_id``: the document id in the facts' ids."""
    rules = default_rules() if rules_dir is None else load_rules(Path(rules_dir))
    return PersianFacts(rules, spans_key=spans_key, doc_id=doc_id)
